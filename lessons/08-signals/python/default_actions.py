# Python twin of Listing 8-1: what a signal does to a process that has asked for nothing.
import os
import resource
import signal

STOP = {signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU}
NOTHING = {signal.SIGCHLD, signal.SIGURG, signal.SIGWINCH, signal.SIGCONT}


def describe(status):
    if os.WIFEXITED(status):
        return f"exited with code {os.WEXITSTATUS(status)}"
    if os.WIFSIGNALED(status):
        core = " (core dumped)" if os.WCOREDUMP(status) else ""
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}{core}"
    if os.WIFSTOPPED(status):
        return f"stopped by {signal.Signals(os.WSTOPSIG(status)).name}"
    return "continued"


def wait_for_change(pid):
    return describe(os.waitpid(pid, os.WUNTRACED | os.WCONTINUED)[1])


for sig in [signal.SIGUSR1, signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGCHLD,
            signal.SIGCONT]:
    is_ready, ready = os.pipe()
    pid = os.fork()
    if pid == 0:
        # Ask for nothing: Python starts with a handler for SIGINT (it raises KeyboardInterrupt), and
        # whoever started this program may have left the signal ignored or blocked.
        signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {sig})
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGQUIT would write a core file
        os.close(ready)
        while True:
            signal.pause()
    os.close(ready)
    os.read(is_ready, 1)  # end of file: the child is ready
    os.close(is_ready)
    os.kill(pid, sig)
    if sig in STOP:
        stopped = wait_for_change(pid)
        os.kill(pid, signal.SIGCONT)
        continued = wait_for_change(pid)
        os.kill(pid, signal.SIGKILL)
        print(f"{sig.name}: the child was {stopped}, {continued}, then {wait_for_change(pid)}")
    elif sig in NOTHING:
        os.kill(pid, signal.SIGKILL)  # nothing happened: the child still waits
        print(f"{sig.name}: nothing happened; then the child was {wait_for_change(pid)}")
    else:
        print(f"{sig.name}: the child was {wait_for_change(pid)}")
