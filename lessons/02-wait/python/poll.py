"""Twin of Listing 2-3: polling a child without blocking, with os.WNOHANG."""
import os

gate_read, gate_write = os.pipe()
child = os.fork()
if child == 0:
    os.close(gate_write)
    os.read(gate_read, 1)
    os._exit(3)
os.close(gate_read)
print('parent %d forked child %d' % (os.getpid(), child), flush=True)
# The child is waiting at the gate: each poll returns at once, with nothing to report.
for _ in range(2):
    pid, status = os.waitpid(child, os.WNOHANG)
    if pid == 0:
        print('poll: still running', flush=True)
os.write(gate_write, b'x')
print('opened its gate', flush=True)
# Poll until the child has ended; a real program would do other work between polls.
while True:
    pid, status = os.waitpid(child, os.WNOHANG)
    if pid != 0:
        break
print('poll: exited with code %d' % os.waitstatus_to_exitcode(status), flush=True)
# That poll reaped the child: it is no longer ours to wait for.
try:
    os.waitpid(child, os.WNOHANG)
except ChildProcessError:
    print('poll again: process %d is not a child of this process, or was already reaped' % child,
          flush=True)
