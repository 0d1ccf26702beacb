"""Twin of Listing 5-2: the __main__ guard keeps a spawned child from running the program again."""
import multiprocessing as mp
from multiprocessing import resource_tracker
import os


def greet(name, answers):
    """The task the spawned child runs."""
    print('child %d: running greet' % os.getpid(), flush=True)
    answers.send('hello, %s' % name)


if __name__ == '__main__':
    ctx = mp.get_context('spawn')
    print('main %d: starts' % os.getpid(), flush=True)
    answers, answer_end = ctx.Pipe(duplex=False)
    child = ctx.Process(target=greet, args=('world', answer_end))
    child.start()
    reply = answers.recv()
    child.join()
    print('main %d: the child answered: %s' % (os.getpid(), reply), flush=True)
    # Spawn starts a helper process, the resource tracker, which Python stops a moment after the
    # program ends; stopping it here lets the test check that nothing is left behind.
    resource_tracker._resource_tracker._stop()
