"""Twin of Listings 10-3 and 10-4: the worker running item 3 is killed mid-task, on Dask distributed.

Item 3's task says where it runs and waits at a gate, a named pipe. The driver kills that worker
there. Item 3 runs again in another process, and the map ends with every result. Then a task that
kills its worker every time it runs: the scheduler gives up on it once more than allowed-failures
workers have died running it (3 by default; 1 here, to keep the run short) and raises KilledWorker,
so that one bad task cannot kill every worker of a cluster in turn.
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


def crash(runs):
    """Note this run in the file `runs`, then kill this worker, as a task that crashes it would."""
    with open(runs, 'a') as log:
        log.write('%d\n' % os.getpid())
    os.kill(os.getpid(), signal.SIGKILL)


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
    default = dask.config.get('distributed.scheduler.allowed-failures')
    dask.config.set({'distributed.scheduler.allowed-failures': 1})
    print('allowed-failures: %d by default, 1 here' % default, flush=True)
    with local_cluster(2) as client:
        results = client.map(square_at_gate, range(6), gates=gates)
        print(kill_where_item_3_runs(reports), end='', flush=True)
        print('killed that process', flush=True)
        print(reports.readline(), end='', flush=True)  # item 3 again, in another process
        with open(os.path.join(gates, 'gate'), 'wb') as gate:
            gate.write(b'!')
        for x, value in enumerate(client.gather(results)):
            print('square(%d) = %d' % (x, value), flush=True)

        print('a task that kills its worker every time it runs:', flush=True)
        runs = os.path.join(gates, 'runs')
        try:
            client.submit(crash, runs).result()
        except KilledWorker:
            print('result(): KilledWorker', flush=True)
        pids = open(runs).read().split()
        print('it ran more than once, each time in another process:',
              len(pids) > 1 and len(set(pids)) == len(pids), flush=True)
    for name in ('reports', 'gate', 'runs'):
        os.unlink(os.path.join(gates, name))
    os.rmdir(gates)
