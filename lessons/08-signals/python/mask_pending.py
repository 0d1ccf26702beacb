# Python twin of Listing 8-2: a blocked signal is pending, not lost, and pending once.
import os
import signal

count = 0


def note(number, frame):
    global count
    count += 1


def take_count():
    global count
    taken, count = count, 0
    return taken


signal.signal(signal.SIGUSR1, note)
os.kill(os.getpid(), signal.SIGUSR1)
print(f"sent once, not blocked: the handler ran {take_count()} time(s)")
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.kill(os.getpid(), signal.SIGUSR1)
os.kill(os.getpid(), signal.SIGUSR1)
print(f"sent twice while blocked: the handler ran {take_count()} time(s)")
print(f"pending: {sorted(s.name for s in signal.sigpending())}".replace("'", ""))
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
print(f"unblocked: the handler ran {take_count()} time(s)")
print(f"pending: {sorted(s.name for s in signal.sigpending())}".replace("'", ""))
