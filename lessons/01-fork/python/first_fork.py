"""Twin of Listing 1-2: the first fork, in Python."""
import os

# flush=True: when stdout is a pipe, Python buffers it, and an unflushed line would be
# copied into the child and printed twice (see Listing 1-6).
print('Process (%s) start...' % os.getpid(), flush=True)
# The child waits at this gate until the parent has printed, so the lines come in one order.
gate_read, gate_write = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(gate_write)
    os.read(gate_read, 1)
    print('I am child process (%s) and my parent is %s.' % (os.getpid(), os.getppid()), flush=True)
    os._exit(0)
else:
    os.close(gate_read)
    print('I (%s) just created a child process (%s).' % (os.getpid(), pid), flush=True)
    os.write(gate_write, b'x')
    os.waitpid(pid, 0)
