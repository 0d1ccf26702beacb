"""Twin of Listing 10-1: the book's map on Dask distributed.

local_cluster starts a scheduler and two worker processes on this machine (local_cluster.py).
client.map sends one task per item to the scheduler, which gives each to a worker;
gather brings the results back in input order.
"""
from local_cluster import local_cluster


def square(x):
    return x * x


if __name__ == '__main__':
    with local_cluster(2) as client:
        print(client.gather(client.map(square, range(10))), flush=True)
