"""The Dask cluster the chapter's twins run on: a scheduler and worker processes on this machine.

A LocalCluster has the same API as a cluster of many machines. Here every worker has one thread, as
a pool's worker process has; every address is on loopback, and there is no dashboard.
"""
import contextlib
import logging
from multiprocessing import resource_tracker, util

from dask.distributed import Client, LocalCluster


@contextlib.contextmanager
def local_cluster(workers):
    """A client of a new cluster of `workers` worker processes; all of them are gone afterwards."""
    try:
        # With no dashboard the scheduler still serves HTTP (its health and metrics), by default
        # on port 8787, which another cluster may hold: here on a free loopback port instead.
        with LocalCluster(n_workers=workers, threads_per_worker=1, host='127.0.0.1',
                          dashboard_address=None, scheduler_kwargs={'dashboard_address': '127.0.0.1:0'},
                          silence_logs=logging.CRITICAL) as cluster:
            with Client(cluster) as client:
                client.wait_for_workers(workers)
                addresses = [cluster.scheduler_address, *client.scheduler_info()['workers']]
                assert all(a.startswith('tcp://127.0.0.1:') for a in addresses), addresses
                yield client
                # A nanny that is still starting a worker in place of a killed one fails to close
                # (Dask 2026.8): close the cluster only once every worker is up again.
                client.wait_for_workers(workers)
    finally:
        # Starting the workers started multiprocessing's resource tracker, which Python 3.11 does
        # not wait for when it exits. Run the clean-ups Python would run at exit (they give back
        # what the tracker keeps), then stop the tracker and reap it: no process is left behind.
        util._exit_function()
        resource_tracker._resource_tracker._stop()
