"""Twin of Listing 2-1: how children end, decoded from the status os.waitpid returns."""
import ctypes
import os
import resource
import signal


def describe(status):
    """The words our ExitStatus prints, from the macros C and Python share."""
    if os.WIFEXITED(status):
        return 'exited with code %d' % os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        core = ' (core dumped)' if os.WCOREDUMP(status) else ''
        return 'killed by %s%s' % (signal.Signals(os.WTERMSIG(status)).name, core)
    if os.WIFSTOPPED(status):
        return 'stopped by %s' % signal.Signals(os.WSTOPSIG(status)).name
    return 'continued'


def report(child, status):
    exitcode = os.waitstatus_to_exitcode(status)
    print('child %d %s; exitcode %d' % (child, describe(status), exitcode), flush=True)


def disable_core_dumps():
    """RLIMIT_CORE 0, and not dumpable (prctl PR_SET_DUMPABLE = 4, 0), as the Rust helper does."""
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)


print('parent %d waits for each child in turn' % os.getpid(), flush=True)
# Three children end normally, each with its own exit code.
for code in [0, 3, 42]:
    child = os.fork()
    if child == 0:
        os._exit(code)
    _, status = os.waitpid(child, 0)
    report(child, status)
# Two children wait for a signal; their parent sends SIGTERM to one, SIGKILL to the other.
for sig in [signal.SIGTERM, signal.SIGKILL]:
    child = os.fork()
    if child == 0:
        while True:
            signal.pause()
    os.kill(child, sig)
    _, status = os.waitpid(child, 0)
    report(child, status)
# One child aborts (SIGABRT), with core dumps turned off so that no core file is written.
child = os.fork()
if child == 0:
    disable_core_dumps()
    os.abort()
_, status = os.waitpid(child, 0)
report(child, status)
