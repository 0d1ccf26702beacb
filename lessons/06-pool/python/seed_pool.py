"""Twin of Listing 6-1: a pool of 4 and 5 tasks; task 4 waits for a free worker.

Gates decide when each task ends (2, 3, 0, 1, 4), so the run is the same every time. The fork start
method is asked for by name: the gates are pipes the workers inherit when the pool forks them.
"""
import multiprocessing as mp
import os
import struct


def long_time_task(index, report, gate):
    """Say "task index runs in this worker", then wait for the gate, then end."""
    os.write(report, struct.pack('<Ii', index, os.getpid()))
    os.read(gate, 1)
    return index


def started(reports):
    """Read one "task started" report: (task, worker pid)."""
    return struct.unpack('<Ii', os.read(reports, 8))


if __name__ == '__main__':
    print('Parent process %s.' % os.getpid(), flush=True)
    reports, report_end = os.pipe()
    gates = [os.pipe() for _ in range(5)]
    pool = mp.get_context('fork').Pool(4)
    tasks = [pool.apply_async(long_time_task, args=(i, report_end, gates[i][0])) for i in range(5)]
    print('Waiting for all subprocesses done...', flush=True)
    for task, worker in sorted(started(reports) for _ in range(4)):
        print('Run task %d (%d)...' % (task, worker), flush=True)
    for task in (2, 3, 0, 1, 4):
        os.write(gates[task][1], b'!')
        tasks[task].get()
        print('Task %d is done.' % task, flush=True)
        if task == 2:
            print('Run task %d (%d)...' % started(reports), flush=True)
    pool.close()
    pool.join()
    print('All subprocesses done.', flush=True)
