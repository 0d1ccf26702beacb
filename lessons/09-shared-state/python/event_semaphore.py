"""Twin of Listing 9-6: a multiprocessing.Event that three children wait for, and a Semaphore of
two permits shared by three children. Only the parent prints."""
import multiprocessing
import os
from multiprocessing import Event, Process, Semaphore


def waiter(event, ready):
    ready.set()
    event.wait()


def event_part():
    event = Event()
    waiters = []
    for _ in range(3):
        ready = Event()
        p = Process(target=waiter, args=(event, ready))
        p.start()
        ready.wait()
        waiters.append(p)
    state = 'set' if event.is_set() else 'not set'
    print('event: 3 children wait, or are about to; the event is %s' % state, flush=True)
    event.set()
    for p in waiters:
        p.join()
    print('event: set() let all 3 return from wait()', flush=True)


def holder(semaphore, report_end, number, release):
    with semaphore:
        os.write(report_end, bytes([number]))
        release.wait()


def semaphore_part():
    semaphore = Semaphore(2)
    reports, report_end = os.pipe()
    children, releases = [], []
    for number in (1, 2, 3):
        release = Event()
        p = Process(target=holder, args=(semaphore, report_end, number, release))
        p.start()
        children.append(p)
        releases.append(release)
        if number < 3:
            os.read(reports, 1)
    print('semaphore(2): children 1 and 2 hold a permit; child 3 has started', flush=True)
    took = semaphore.acquire(block=False)
    found = 'takes one' if took else 'finds none free'
    print('semaphore(2): try_acquire() in the parent %s' % found, flush=True)
    releases.pop(0).set()
    third = os.read(reports, 1)[0]
    print('semaphore(2): child 1 released its permit; child %d holds one now' % third, flush=True)
    for release in releases:
        release.set()
    for p in children:
        p.join()
    print('semaphore(2): all released, %d permits free' % semaphore.get_value(), flush=True)


if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    event_part()
    semaphore_part()
