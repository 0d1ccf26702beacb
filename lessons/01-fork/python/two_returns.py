"""Twin of Listing 1-3: one call, two returns."""
import os

print('before fork: one process, pid %d' % os.getpid(), flush=True)
gate_read, gate_write = os.pipe()
returned = os.fork()
# From here on two processes run the same code, each with its own value of `returned`.
if returned != 0:
    os.close(gate_read)
    print('in the parent: fork() returned %d; getpid() is %d' % (returned, os.getpid()), flush=True)
    os.write(gate_write, b'x')
    os.waitpid(returned, 0)
else:
    os.close(gate_write)
    os.read(gate_read, 1)
    print('in the child: fork() returned %d; getpid() is %d, getppid() is %d'
          % (returned, os.getpid(), os.getppid()), flush=True)
    os._exit(0)
