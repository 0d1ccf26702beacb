"""Twin of Listing 2-4: os.wait() reports whichever child ends first."""
import os

# One gate per child, all made before the first fork.
gates = [os.pipe() for _ in range(3)]
print('parent %d forks children 0, 1 and 2' % os.getpid(), flush=True)
for i in range(3):
    child = os.fork()
    if child == 0:
        gate_read, gate_write = gates[i]
        os.close(gate_write)
        os.read(gate_read, 1)
        os._exit(10 + i)
    print('child %d is %d and will exit with %d' % (i, child, 10 + i), flush=True)
for i in [2, 0, 1]:
    os.write(gates[i][1], b'x')
    pid, status = os.wait()
    print('opened gate %d; wait_any: %d exited with code %d'
          % (i, pid, os.waitstatus_to_exitcode(status)), flush=True)
try:
    os.wait()
except ChildProcessError:
    print('wait_any: this process has no children to wait for', flush=True)
