# Python twin of Listing 8-6: Ctrl-C, typed at a terminal of our own (a pseudo-terminal).
import ctypes
import fcntl
import os
import signal
import termios

PR_SET_CHILD_SUBREAPER = 36


def wait_for_ever():
    while True:
        signal.pause()


def describe(status):
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exited with code {os.WEXITSTATUS(status)}"


ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # the leader's children come back here
master, terminal = os.openpty()
is_ready, ready = os.pipe()
leader = os.fork()
if leader == 0:
    # Python's own handler raises KeyboardInterrupt; started in the background, SIGINT is ignored.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setsid()
    fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
    for _ in range(2):
        if os.fork() == 0:
            os.write(ready, b"c")
            wait_for_ever()
    os.write(ready, b"l")
    wait_for_ever()
got = b""
while len(got) < 3:  # all three exist
    got += os.read(is_ready, 3 - len(got))
group = os.tcgetpgrp(master)


def group_of(pid):
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


members = [pid for pid in os.listdir("/proc") if pid.isdigit() and group_of(int(pid)) == group]
print(f"the terminal's foreground group: {group}, with {len(members)} processes", flush=True)
os.write(master, b"\x03")
print("typed Ctrl-C", flush=True)
reaped = []
while True:
    try:
        reaped.append(os.wait())
    except ChildProcessError:
        break
reaped.sort(key=lambda ended: (ended[0] != leader, ended[0]))  # the leader first, then its children
for pid, status in reaped:
    print(f"{pid} was {describe(status)}", flush=True)
