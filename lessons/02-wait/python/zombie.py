"""Twin of Listing 2-5: a zombie stays until its parent waits for it."""
import os
import signal


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


child = os.fork()
if child == 0:
    os._exit(7)
print('parent %d forked child %d, which exits at once' % (os.getpid(), child), flush=True)
# Block until the child has ended, but leave it unreaped (waitid with WNOWAIT).
info = os.waitid(os.P_PID, child, os.WEXITED | os.WNOWAIT)
print('the child has exited with code %d, and is not reaped yet' % info.si_status, flush=True)
print('/proc/%d/stat: %s' % (child, shown(proc_state(child))), flush=True)
os.kill(child, signal.SIGKILL)
print('sent SIGKILL; /proc/%d/stat: %s' % (child, shown(proc_state(child))), flush=True)
_, status = os.waitpid(child, 0)
print('wait_for reaps it: exited with code %d' % os.waitstatus_to_exitcode(status), flush=True)
print('/proc/%d/stat: %s' % (child, shown(proc_state(child))), flush=True)
