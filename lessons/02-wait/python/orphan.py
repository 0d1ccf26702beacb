"""Twin of Listing 2-7: an orphan is re-parented to the nearest child subreaper."""
import ctypes
import os

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """prctl(PR_SET_CHILD_SUBREAPER, 1): Python's os module has no prctl, ctypes calls libc's."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_CHILD_SUBREAPER) failed')


def middle_child(middle_reaped):
    """Forks the grandchild, lets it see its parent, then exits without waiting for it."""
    looked_read, looked_write = os.pipe()
    grandchild = os.fork()
    if grandchild == 0:
        first_parent = os.getppid()
        os.close(looked_read)
        os.write(looked_write, b'x')
        reaped_read, reaped_write = middle_reaped
        os.close(reaped_write)
        os.read(reaped_read, 1)
        print('grandchild %d: my parent was %d, now it is %d' % (os.getpid(), first_parent, os.getppid()),
              flush=True)
        os._exit(0)
    print('middle child %d, child of %d, forked grandchild %d' % (os.getpid(), os.getppid(), grandchild),
          flush=True)
    os.close(looked_write)
    os.read(looked_read, 1)
    print('middle child %d exits without waiting for its child' % os.getpid(), flush=True)
    os._exit(0)


become_subreaper()
print('main %d is a child subreaper' % os.getpid(), flush=True)
# The grandchild looks at its parent again only once main has reaped the middle child.
middle_reaped = os.pipe()
middle = os.fork()
if middle == 0:
    middle_child(middle_reaped)
_, status = os.waitpid(middle, 0)
print('main reaped the middle child %d: exited with code %d' % (middle, os.waitstatus_to_exitcode(status)),
      flush=True)
os.write(middle_reaped[1], b'x')
# The orphan is main's child now, so main may wait for it.
orphan, status = os.wait()
print('main reaped the orphan %d: exited with code %d' % (orphan, os.waitstatus_to_exitcode(status)),
      flush=True)
