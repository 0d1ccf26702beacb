"""Twin of Listing 9-5: the lock of a multiprocessing.Array, whose holder is killed. Python's lock is
a POSIX semaphore: no one owns it, so no one can tell the next taker that its holder died, and no one
will ever release it. A bounded wait is the only way to show 'for ever'."""
import multiprocessing
import os
import signal
from multiprocessing import Array, Event, Process


def child(accounts, holding, never):
    accounts.get_lock().acquire()
    accounts.get_obj()[0] -= 20
    print('child: took the lock, moved 20 out of account 0, and stops there', flush=True)
    holding.set()
    never.wait()


if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    accounts = Array('q', [60, 0])
    holding, never = Event(), Event()
    p = Process(target=child, args=(accounts, holding, never))
    p.start()
    holding.wait()
    os.kill(p.pid, signal.SIGKILL)
    p.join()
    print('parent: the child was killed by %s' % signal.Signals(-p.exitcode).name, flush=True)
    got = accounts.get_lock().acquire(timeout=1)
    print('parent: acquire(timeout=1) returned %s' % got, flush=True)
    # Reading accounts[0] would take the lock, and wait for ever: read the raw array instead.
    print('parent: the accounts hold %s, and no living process can release the lock'
          % list(accounts.get_obj()), flush=True)
