"""Twin of Listing 3-3: terminate and kill, and the exit codes they leave: -15 and -9."""
from multiprocessing import Process
import signal


def wait_for_a_signal():
    """A target that never ends on its own: it sleeps until a signal comes."""
    while True:
        signal.pause()


if __name__ == '__main__':
    p = Process(target=wait_for_a_signal)
    p.start()
    print('%s: exitcode -> %s' % (p.name, p.exitcode), flush=True)
    p.terminate()
    p.join()
    print('%s: after terminate(), exitcode -> %s' % (p.name, p.exitcode), flush=True)

    q = Process(target=wait_for_a_signal)
    q.start()
    q.kill()
    q.join()
    print('%s: after kill(), exitcode -> %s' % (q.name, q.exitcode), flush=True)
