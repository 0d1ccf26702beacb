"""Twin of Listing 9-1: in CPython, reading an object writes to it (its reference count), and the
garbage collector writes to every object it tracks. gc.freeze() keeps the collector's hands off the
objects that exist when it is called; it does nothing about reference counts.

Each child measures how much its private dirty memory grew while it worked, and compares that with
what the lists took in the parent: 'most' is more than half, 'almost none' less than a hundredth."""
import gc
import os

COUNT = 1_000_000


def private_dirty_kib():
    with open('/proc/self/smaps_rollup') as f:
        for line in f:
            if line.startswith('Private_Dirty:'):
                return int(line.split()[1])


def growth_in_child(work):
    """Forks a child that runs work(); returns how many KiB its private dirty memory grew meanwhile."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        before = private_dirty_kib()
        work()
        os.write(write_end, str(private_dirty_kib() - before).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as report:
        grew = int(report.read())
    os.waitpid(pid, 0)
    return grew


def how_much(grew, size):
    if grew > size / 2:
        return 'most'
    if grew < size / 100:
        return 'almost none'
    return 'some'


def read_every_list():
    for item in lists:
        pass


if __name__ == '__main__':
    before = private_dirty_kib()
    lists = [[] for _ in range(COUNT)]
    size = private_dirty_kib() - before
    print('parent: made a million empty lists')
    for frozen in (False, True):
        if frozen:
            gc.freeze()
            print('parent: gc.freeze()')
        grew = growth_in_child(read_every_list)
        print('child, reads every list: wrote to %s of their pages' % how_much(grew, size))
        grew = growth_in_child(gc.collect)
        print('child, runs gc.collect(): wrote to %s of their pages' % how_much(grew, size))
