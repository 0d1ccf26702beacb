"""Twin of Listing 2-2: a child is stopped and continued before it ends."""
import os
import signal


def describe(status):
    """The words our ExitStatus prints, from the macros C and Python share."""
    if os.WIFEXITED(status):
        return 'exited with code %d' % os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return 'killed by %s' % signal.Signals(os.WTERMSIG(status)).name
    if os.WIFSTOPPED(status):
        return 'stopped by %s' % signal.Signals(os.WSTOPSIG(status)).name
    return 'continued'


def wait_for_change(child):
    _, status = os.waitpid(child, os.WUNTRACED | os.WCONTINUED)
    return describe(status)


# The child ends only once its parent opens this gate.
gate_read, gate_write = os.pipe()
child = os.fork()
if child == 0:
    os.close(gate_write)
    os.read(gate_read, 1)
    os._exit(5)
os.close(gate_read)
print('parent %d forked child %d' % (os.getpid(), child), flush=True)
os.kill(child, signal.SIGSTOP)
print('sent SIGSTOP: %s' % wait_for_change(child), flush=True)
# A stopped child has not ended: polling for an end finds nothing.
pid, _ = os.waitpid(child, os.WNOHANG)
print('has it ended? %s' % ('yes' if pid != 0 else 'no'), flush=True)
os.kill(child, signal.SIGCONT)
print('sent SIGCONT: %s' % wait_for_change(child), flush=True)
os.write(gate_write, b'x')
print('opened its gate: %s' % wait_for_change(child), flush=True)
