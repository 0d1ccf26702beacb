"""Twin of Listing 10-2: the seed's pool of 4 and 5 tasks, on a Dask cluster of four worker processes.

Each task says when it starts and waits at its own gate, a named pipe (FIFO): the workers are not
forked from this program, so they cannot inherit pipes, but they can open a path. The driver opens
the gates in the order 2, 3, 0, 1, 4. The scheduler, not a fixed rule, decides where task 4 runs:
it may have handed it to a busy worker's queue in advance, so the driver looks for its start only
once the first four are done, and checks it ran in one of the same four processes.
"""
import os
import tempfile

from local_cluster import local_cluster


def long_time_task(task, gates):
    """Say "task runs in this worker", then wait for the gate, then end."""
    with open(os.path.join(gates, 'reports'), 'w') as reports:
        reports.write('Run task %d (%d)...\n' % (task, os.getpid()))
    with open(os.path.join(gates, 'gate%d' % task), 'rb') as gate:
        gate.read(1)
    return task


def open_gate(gates, task):
    with open(os.path.join(gates, 'gate%d' % task), 'wb') as gate:
        gate.write(b'!')


if __name__ == '__main__':
    print('Driver process %d.' % os.getpid(), flush=True)
    gates = tempfile.mkdtemp()
    for name in ['reports'] + ['gate%d' % task for task in range(5)]:
        os.mkfifo(os.path.join(gates, name))
    # Read and write, so that opening it does not wait for a writer and it never reads end-of-file.
    reports = os.fdopen(os.open(os.path.join(gates, 'reports'), os.O_RDWR))
    with local_cluster(4) as client:
        tasks = [client.submit(long_time_task, task, gates, pure=False) for task in range(5)]
        first = sorted(reports.readline() for _ in range(4))
        print(''.join(first), end='', flush=True)
        workers = {line.split('(')[1].split(')')[0] for line in first}
        for task in (2, 3, 0, 1):
            open_gate(gates, task)
            tasks[task].result()
            print('Task %d is done.' % task, flush=True)
        last = reports.readline()
        where = 'one of those four processes' if last.split('(')[1].split(')')[0] in workers else '?'
        print('Run task 4 (%s)...' % where, flush=True)
        open_gate(gates, 4)
        tasks[4].result()
        print('Task 4 is done.', flush=True)
    print('All processes succeeded.', flush=True)
    for name in os.listdir(gates):
        os.unlink(os.path.join(gates, name))
    os.rmdir(gates)
