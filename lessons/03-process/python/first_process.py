"""Twin of Listing 3-1: the first Process, in Python."""
from multiprocessing import Process, set_start_method
import os


def run_proc(name):
    """The code the child runs."""
    print('Run child process %s (%s)...' % (name, os.getpid()))


if __name__ == '__main__':
    set_start_method('fork')  # this twin is about a fork; from 3.14, Linux's default is forkserver
    print('Parent process %s.' % os.getpid())
    p = Process(target=run_proc, args=('test',))
    print('Child process will start.')
    p.start()
    p.join()
    print('Child process end.')
