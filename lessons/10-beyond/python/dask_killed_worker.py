"""Twin of Listings 10-3 and 10-4: the worker running item 3 is killed mid-task, on Dask distributed.

Item 3's task says where it runs and waits at a gate, a named pipe. The driver kills that worker
there. The scheduler hears the worker's connection close, gives item 3 to another worker, and the
map ends with every result. Then a task that is lost every time it runs: the scheduler gives up on
it after allowed-failures + 1 losses (3 + 1 by default; 1 + 1 here, to keep the run short) and
raises KilledWorker, so that one bad task cannot kill every worker of a cluster in turn.
"""
import os
import signal
import tempfile

import dask
from dask.distributed import KilledWorker

from local_cluster import local_cluster


def square_at_gate(x, gates):
    """Item x's square; item 3 first says where it runs, then waits at the gate."""
    if x == 3:
        with open(os.path.join(gates, 'reports'), 'w') as reports:
            reports.write('item 3 runs in process %d\n' % os.getpid())
        with open(os.path.join(gates, 'gate'), 'rb') as gate:
            gate.read(1)
    return x * x


def kill_where_item_3_runs(reports):
    """Read item 3's report, kill the worker it names, and give the report."""
    line = reports.readline()
    os.kill(int(line.split()[-1]), signal.SIGKILL)
    return line


if __name__ == '__main__':
    gates = tempfile.mkdtemp()
    for name in ('reports', 'gate'):
        os.mkfifo(os.path.join(gates, name))
    # Read and write, so that opening it does not wait for a writer and it never reads end-of-file.
    reports = os.fdopen(os.open(os.path.join(gates, 'reports'), os.O_RDWR))
    dask.config.set({'distributed.scheduler.allowed-failures': 1})
    with local_cluster(2) as client:
        results = client.map(square_at_gate, range(6), gates=gates)
        print(kill_where_item_3_runs(reports), end='', flush=True)
        print('killed that process', flush=True)
        print(reports.readline(), end='', flush=True)  # item 3 again, in another process
        with open(os.path.join(gates, 'gate'), 'wb') as gate:
            gate.write(b'!')
        for x, value in enumerate(client.gather(results)):
            print('square(%d) = %d' % (x, value), flush=True)

        print('a task lost every time it runs:', flush=True)
        lost = client.submit(square_at_gate, 3, gates, pure=False)
        for _ in range(2):
            kill_where_item_3_runs(reports)  # the worker may be new, or the other one: not shown
            print('killed the worker running it', flush=True)
        try:
            lost.result()
        except KilledWorker:
            print('result(): KilledWorker, after 2 workers died running it', flush=True)
    for name in ('reports', 'gate'):
        os.unlink(os.path.join(gates, name))
    os.rmdir(gates)
