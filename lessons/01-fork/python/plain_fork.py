"""Twin of Listing 1-1: the classic first fork, in Python; its last two lines come in either order."""
import os

# flush=True: when stdout is a pipe, Python buffers it, and an unflushed line would be
# copied into the child and printed twice (see Listing 1-6).
print('Process (%s) start...' % os.getpid(), flush=True)
pid = os.fork()
if pid == 0:
    print('I am child process (%s) and my parent is %s.' % (os.getpid(), os.getppid()), flush=True)
    os._exit(0)
else:
    print('I (%s) just created a child process (%s).' % (os.getpid(), pid), flush=True)
    os.waitpid(pid, 0)
