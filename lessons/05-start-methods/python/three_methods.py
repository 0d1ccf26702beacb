"""Twin of Listing 5-1: one task, three start methods, in Python.

Python's forkserver is a fresh program (started like spawn) that imports __main__ without running
the guarded code, so its workers see the module as first imported: 0, not 1 as in our Rust server,
which is a fork of the parent made when the server started.
"""
import multiprocessing as mp
from multiprocessing import forkserver, resource_tracker

SETTING = 0


def read_setting(answers):
    """The task: report the setting as this process sees it."""
    answers.send(SETTING)


if __name__ == '__main__':
    SETTING = 1
    forkserver.ensure_running()  # start the fork server now, like Forkserver::start
    SETTING = 2
    print("the parent's setting is now %d" % SETTING, flush=True)
    for method in ('fork', 'spawn', 'forkserver'):
        ctx = mp.get_context(method)
        answers, answer_end = ctx.Pipe(duplex=False)
        child = ctx.Process(target=read_setting, args=(answer_end,))
        child.start()
        seen = answers.recv()
        child.join()
        print('%10s: the child sees setting %d' % (method, seen), flush=True)
    # Python stops its fork server and resource tracker a moment after the program ends; stopping
    # them here lets the test check that nothing is left behind.
    forkserver._forkserver._stop()
    resource_tracker._resource_tracker._stop()
