"""The Dask cluster the chapter's twins run on: a scheduler and worker processes on this machine.

A LocalCluster has the same API as a cluster of many machines. Here every worker has one thread, as
a pool's worker process has; every address is on loopback, and there is no dashboard.
"""
import contextlib
import logging
from multiprocessing import resource_tracker

from dask.distributed import Client, LocalCluster


@contextlib.contextmanager
def local_cluster(workers):
    """A client of a new cluster of `workers` worker processes; all of them are gone afterwards."""
    try:
        with LocalCluster(n_workers=workers, threads_per_worker=1, host='127.0.0.1',
                          dashboard_address=None, silence_logs=logging.CRITICAL) as cluster:
            with Client(cluster) as client:
                client.wait_for_workers(workers)
                yield client
    finally:
        # Starting the workers started multiprocessing's resource tracker, which Python 3.11 does
        # not wait for when it exits: stop it and reap it here, so that no process is left behind.
        resource_tracker._resource_tracker._stop()
