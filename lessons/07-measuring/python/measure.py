"""CPython's side of chapter 7's benchmark: python3 measure.py FIGURE REPS [ARGS...]

Runs one figure REPS times with multiprocessing, the same work as the Rust side, and prints what it
measured as JSON on stdout: {"times": [seconds, ...]}, with "peak_bytes" for imap and "result" for
the prime count. The Rust benchmark starts this script once per figure and round; the interpreter's
own start is never timed. The fork start method is asked for by name, as the twins do: from Python
3.14 the default on Linux is forkserver.
"""
import json
import multiprocessing as mp
import os
import sys
import time

FORK = mp.get_context('fork')
WARM_UP = 50


def square(n):
    """The tiny task."""
    return n * n


def nothing():
    """The empty function a Process runs."""


def is_prime(n):
    """Trial division by 2 and the odd numbers up to the square root, as in tasks.rs."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    divisor = 3
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 2
    return True


def count_primes(bounds):
    """The CPU-bound task: how many primes lie in range(low, high)."""
    low, high = bounds
    return sum(1 for n in range(low, high) if is_prime(n))


def timed(reps, work):
    """reps timings of work(), after one untimed run."""
    work()
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return times


def child_cpu(placement):
    """The CPU the far end runs on: 'one' core (CPU 0, as the parent) or 'two' (CPU 1)."""
    return {'one': 0, 'two': 1}[placement]


def fork_floor(reps):
    def fork_exit_wait():
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    return {'times': timed(reps, fork_exit_wait)}


def pipe_floor(reps, placement):
    os.sched_setaffinity(0, {0})
    from_parent, to_child = os.pipe()
    from_child, to_parent = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.sched_setaffinity(0, {child_cpu(placement)})
            os.close(to_child)
            os.close(from_child)
            while os.read(from_parent, 1):
                os.write(to_parent, b'x')
            code = 0
        finally:
            os._exit(code)
    os.close(from_parent)
    os.close(to_parent)

    def trip():
        os.write(to_child, b'x')
        os.read(from_child, 1)
    for _ in range(WARM_UP):
        trip()
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        trip()
        times.append(time.perf_counter() - began)
    os.close(to_child)
    os.waitpid(pid, 0)
    return {'times': times}


def process(reps):
    def start_join():
        p = FORK.Process(target=nothing)
        p.start()
        p.join()
    return {'times': timed(reps, start_join)}


def pool_start(reps):
    def start_close_join():
        pool = FORK.Pool(2)
        pool.close()
        pool.join()
    return {'times': timed(reps, start_close_join)}


# ANCHOR: apply
def pin_every_thread(cpu):
    """Pin every thread of this process (a Pool's handler threads too) to one CPU."""
    for thread in os.listdir('/proc/self/task'):
        os.sched_setaffinity(int(thread), {cpu})


def apply(reps, placement):
    # Pinned before the pool is made, so that its worker inherits the mask; then every thread of
    # this process, the pool's three handler threads among them, goes to CPU 0.
    os.sched_setaffinity(0, {child_cpu(placement)})
    pool = FORK.Pool(1)
    pin_every_thread(0)
    for n in range(WARM_UP):
        pool.apply(square, (n,))
    times = []
    for n in range(reps):
        began = time.perf_counter()
        pool.apply(square, (n,))
        times.append(time.perf_counter() - began)
    pool.close()
    pool.join()
    return {'times': times}
# ANCHOR_END: apply


def warm_pool():
    pool = FORK.Pool(2)
    pool.map(square, range(4), 1)
    return pool


def apply_async(reps, count):
    pool = warm_pool()

    def submit_and_collect():
        results = [pool.apply_async(square, (n,)) for n in range(count)]
        for result in results:
            result.get()
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        submit_and_collect()
        times.append(time.perf_counter() - began)
    pool.close()
    pool.join()
    return {'times': times}


def map_(reps, count, chunk):
    pool = warm_pool()
    chunksize = None if chunk == 'default' else int(chunk)
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        pool.map(square, range(count), chunksize)
        times.append(time.perf_counter() - began)
    pool.close()
    pool.join()
    return {'times': times}


# ANCHOR: imap
def peak_resident_bytes():
    """VmHWM of /proc/self/status: this process's peak resident memory."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    raise RuntimeError('no VmHWM line in /proc/self/status')


def imap(reps, count, chunk):
    # One run per process: the high-water mark never goes down.
    assert reps == 1, 'imap runs once per process'
    pool = FORK.Pool(2)
    began = time.perf_counter()
    total = 0
    for value in pool.imap(square, range(count), chunk):
        total += value
    seconds = time.perf_counter() - began
    pool.close()
    pool.join()
    return {'times': [seconds], 'peak_bytes': peak_resident_bytes()}
# ANCHOR_END: imap


def primes(reps, below, chunks, workers):
    ranges = [(below * i // chunks, below * (i + 1) // chunks) for i in range(chunks)]
    pool = FORK.Pool(workers)
    pool.map(count_primes, [(0, 10)] * 4, 1)
    times = []
    result = None
    for _ in range(reps):
        began = time.perf_counter()
        result = sum(pool.map(count_primes, ranges, 1))
        times.append(time.perf_counter() - began)
    pool.close()
    pool.join()
    return {'times': times, 'result': result}


FIGURES = {
    'fork_floor': lambda reps: fork_floor(reps),
    'pipe_floor': lambda reps, placement: pipe_floor(reps, placement),
    'process': lambda reps: process(reps),
    'pool_start': lambda reps: pool_start(reps),
    'apply': lambda reps, placement: apply(reps, placement),
    'apply_async': lambda reps, count: apply_async(reps, int(count)),
    'map': lambda reps, count, chunk: map_(reps, int(count), chunk),
    'imap': lambda reps, count, chunk: imap(reps, int(count), int(chunk)),
    'primes': lambda reps, below, chunks, workers: primes(reps, int(below), int(chunks), int(workers)),
}

if __name__ == '__main__':
    figure, reps, *args = sys.argv[1:]
    print(json.dumps(FIGURES[figure](int(reps), *args)))
