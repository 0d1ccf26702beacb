# Python twin of Listing 8-4: what a child keeps of its parent's signal state, after fork and after
# exec (of this program again, with the argument "report"), read from /proc/self/status.
import os
import signal
import sys

WATCHED = [signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2]


def signals_in(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            bits = int(line.split()[1], 16)
            names = [s.name for s in WATCHED if bits & (1 << (s - 1))]
            return ",".join(names) or "-"


def report(when):
    caught, ignored, blocked = signals_in("SigCgt"), signals_in("SigIgn"), signals_in("SigBlk")
    print(f"{when:<12} caught {caught:<8} ignored {ignored:<8} blocked {blocked}", flush=True)


if sys.argv[1:] == ["report"]:
    report("after exec:")
    sys.exit(0)
for sig in WATCHED:
    signal.signal(sig, signal.SIG_DFL)  # start from the defaults: `nohup`, for one, ignores SIGHUP
signal.pthread_sigmask(signal.SIG_UNBLOCK, WATCHED)
signal.signal(signal.SIGUSR1, lambda number, frame: None)
signal.signal(signal.SIGUSR2, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
report("before fork:")
pid = os.fork()
if pid == 0:
    report("after fork:")
    os.execv(sys.executable, [sys.executable, __file__, "report"])
os.waitpid(pid, 0)
