"""Twin of Listing 6-5: a worker killed in the middle of its task, under CPython's Pool.

The pool starts a new worker, but the task the dead one held is lost: no result will ever come,
and get() without a timeout would wait for ever. Only the timeout gets the caller out. The fork
start method is asked for by name, as in Listing 6-1's twin.
"""
import multiprocessing as mp
import os
import signal
import warnings

# Python 3.12 and later warn that the pool forks from a process with threads; the run is the same.
warnings.filterwarnings('ignore', category=DeprecationWarning)


def square(n):
    return n * n


def dies(_):
    """Kill this worker, mid-task."""
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == '__main__':
    pool = mp.get_context('fork').Pool(1)
    lost = pool.apply_async(dies, (0,))
    try:
        lost.get(timeout=1)
    except mp.TimeoutError:
        print('get(timeout=1): TimeoutError; without the timeout, get() would wait for ever', flush=True)
    print('the pool goes on: square(7) =', pool.apply(square, (7,)), flush=True)
    pool.terminate()
    pool.join()
