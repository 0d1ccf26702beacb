"""Listing 2-6: Python's own zombies, and who reaps them.

A Process that ended and was never joined is a zombie until something waits for it. Here that is
multiprocessing.active_children(), then Process.start(), then Process.is_alive(): the first two poll
every child they know of (os.waitpid with WNOHANG), the third polls its own process. The 'fork'
context makes each Process a child of this one, as on Linux before Python 3.14. A subprocess.Popen is
reaped by its poll() or wait().
"""
import multiprocessing
import os
import subprocess
import sys


def proc_state(pid):
    """The state letter in /proc/PID/stat, read after the last ')', or None once it is gone."""
    try:
        with open('/proc/%d/stat' % pid) as stat_file:
            stat = stat_file.read()
    except FileNotFoundError:
        return None
    return stat[stat.rfind(')') + 1:].split()[0]


def shown(state):
    """How /proc shows a process: its state letter, or that there is no such process."""
    return 'gone' if state is None else 'state %s' % state


def work():
    sys.exit(3)


def ended_unjoined(ctx):
    """Starts a Process and returns once it has ended, leaving it unreaped (WNOWAIT)."""
    process = ctx.Process(target=work)
    process.start()
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    print('%s (%d) ended, never joined: %s' % (process.name, process.pid, shown(proc_state(process.pid))),
          flush=True)
    return process


if __name__ == '__main__':
    ctx = multiprocessing.get_context('fork')
    first = ended_unjoined(ctx)
    print('active_children() returns %s' % ctx.active_children(), flush=True)
    print('%s afterwards: %s; exitcode %d' % (first.name, shown(proc_state(first.pid)), first.exitcode),
          flush=True)
    second = ended_unjoined(ctx)
    third = ctx.Process(target=work)
    third.start()
    print('started %s; %s afterwards: %s; exitcode %d'
          % (third.name, second.name, shown(proc_state(second.pid)), second.exitcode), flush=True)
    third.join()
    fourth = ended_unjoined(ctx)
    print('is_alive() returns %s; afterwards: %s; exitcode %d'
          % (fourth.is_alive(), shown(proc_state(fourth.pid)), fourth.exitcode), flush=True)
    popen = subprocess.Popen([sys.executable, '-c', 'raise SystemExit(3)'])
    os.waitid(os.P_PID, popen.pid, os.WEXITED | os.WNOWAIT)
    print('Popen (%d) ended, never waited: %s' % (popen.pid, shown(proc_state(popen.pid))), flush=True)
    print('poll() returns %d; afterwards: %s' % (popen.poll(), shown(proc_state(popen.pid))), flush=True)
