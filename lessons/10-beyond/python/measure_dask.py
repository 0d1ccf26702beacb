"""Dask's side of chapter 10's benchmark: python3 measure_dask.py ITEMS PARTITIONS ROUNDS MAPS STARTS

Starts a cluster of two worker processes STARTS times (local_cluster.py: one thread a worker,
loopback only), timing each start and each close. On the last cluster, it maps square over ITEMS
items, split into PARTITIONS partitions, one task each: an untimed map first, then ROUNDS rounds of
MAPS timed maps. Each round also times one task of one partition whose results come back as a
Python list, against the same task whose results come back as an array.

The times are taken inside this script once the cluster is up, as the Rust side takes its own: the
interpreter's start and Dask's imports are never timed. It prints JSON on stdout: the times, the
fingerprint of each map's result (count, sum, and sum weighted by position, both modulo 2**64),
and the start and close times. The Rust benchmark compares every fingerprint with its sequential
map's.
"""
import json
import sys
import time
from array import array

from local_cluster import local_cluster

MASK = 2**64 - 1


def square_partition(part):
    """One task: the squares of a partition's items, in order, as 64-bit integers (array 'Q', like a
    Vec<u64>). Dask sends an array back as one block of bytes."""
    return array('Q', [x * x for x in part])


def square_partition_list(part):
    """The same task with its results in a Python list, which Dask serialises item by item."""
    return [x * x for x in part]


def partitions(items, count):
    """range(items) in count ranges of nearly equal size, in order: each task gets two numbers, not
    its items."""
    size = max(1, -(-items // count))
    return [range(low, min(low + size, items)) for low in range(0, items, size)]


# ANCHOR: map
def timed_map(client, parts):
    """One map: a task a partition, the results gathered and joined in input order; its time."""
    began = time.perf_counter()
    futures = client.map(square_partition, parts, pure=False)  # pure=False: computed anew each time
    values = array('Q')
    for part in client.gather(futures):
        values.extend(part)
    took = time.perf_counter() - began
    client.cancel(futures)  # release the results on the workers before the next map
    return took, values
# ANCHOR_END: map


def timed_task(client, function, part):
    """One task of one partition, submitted and its result brought back; its time and result."""
    began = time.perf_counter()
    future = client.submit(function, part, pure=False)
    result = future.result()
    took = time.perf_counter() - began
    client.cancel(future)
    return took, result


def fingerprint(values):
    """As Fingerprint::of in check.rs."""
    weighted = sum(index * value for index, value in enumerate(values))
    return {'count': len(values), 'sum': sum(values) & MASK, 'weighted': weighted & MASK}


def measure_maps(client, parts, rounds, maps, measured):
    """An untimed map, then ROUNDS rounds of MAPS timed maps, and of one task of each kind."""
    timed_map(client, parts)
    expected = list(parts[0])
    for _ in range(rounds):
        times = []
        for _ in range(maps):
            took, values = timed_map(client, parts)
            times.append(took)
            measured['results'].append(fingerprint(values))
        measured['map'].append(times)
        for kind, function in (('task_array', square_partition), ('task_list', square_partition_list)):
            took, result = timed_task(client, function, parts[0])
            if list(result) != [x * x for x in expected]:
                raise SystemExit(f'{function.__name__} gave a wrong result')
            measured[kind].append([took])


def main():
    items, count, rounds, maps, starts = (int(arg) for arg in sys.argv[1:6])
    parts = partitions(items, count)
    measured = {'map': [], 'results': [], 'task_array': [], 'task_list': [], 'start': [], 'start_close': []}
    for start in range(starts):
        began = time.perf_counter()
        with local_cluster(2) as client:
            ready = time.perf_counter()
            if start == starts - 1:
                measure_maps(client, parts, rounds, maps, measured)
            closing = time.perf_counter()
        closed = time.perf_counter()
        measured['start'].append(ready - began)
        measured['start_close'].append((ready - began) + (closed - closing))
    print(json.dumps(measured))


if __name__ == '__main__':
    main()
