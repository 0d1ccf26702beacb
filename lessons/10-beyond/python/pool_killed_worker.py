"""Twin of Listing 10-3: the worker running item 3 of an imap is killed mid-task, under CPython's Pool.

The pool starts a new worker, but item 3 is lost: no result will ever come, and the items after it,
already done, wait behind it in imap's order. Only a timeout gets the caller out. The fork start
method is asked for by name: the gate and the report are pipes the workers inherit when the pool
forks them.
"""
import multiprocessing as mp
import os
import signal
import warnings

# Python 3.12 and later warn that the pool forks from a process with threads; the run is the same.
warnings.filterwarnings('ignore', category=DeprecationWarning)


def square_at_gate(args):
    """Item x's square; item 3 first says where it runs, then waits at the gate."""
    x, report, gate = args
    if x == 3:
        os.write(report, b'item 3 runs in process %d\n' % os.getpid())
        os.read(gate, 1)
    return x * x


if __name__ == '__main__':
    reports, report_end = os.pipe()
    gate, _gate_end = os.pipe()  # the gate's write end: held, never written
    pool = mp.get_context('fork').Pool(2)
    results = pool.imap(square_at_gate, ((x, report_end, gate) for x in range(6)))
    for x in range(3):
        print('square(%d) = %d' % (x, results.next()), flush=True)
    line = os.fdopen(reports).readline()
    print(line, end='', flush=True)
    worker = int(line.split()[-1])
    os.kill(worker, signal.SIGKILL)
    print('killed process %d' % worker, flush=True)
    for x in range(3, 6):
        try:
            print('square(%d) = %d' % (x, results.next(timeout=1)), flush=True)
        except mp.TimeoutError:
            print('square(%d): TimeoutError after 1 s; without the timeout, it would wait for ever' % x,
                  flush=True)
            break
    pool.terminate()
    pool.join()
