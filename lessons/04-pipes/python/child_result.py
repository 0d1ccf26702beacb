"""Twin of Listing 4-5: children that hand back a result, or an error saying how they ended instead."""
from multiprocessing import Pipe, Process
import multiprocessing
import os
import signal


class ChildError(Exception):
    """How a child ended when it did not hand back a result."""


class ResultProcess:
    """A Process whose target's return value comes back through a pipe."""

    def __init__(self, task):
        self.receiver, self.sender = Pipe(duplex=False)
        self.process = Process(target=self.run_and_report, args=(task, self.sender))

    @staticmethod
    def run_and_report(task, sender):
        try:
            report = ('returned', task())
        except Exception as error:
            report = ('panicked', str(error))
        sender.send(report)

    @property
    def name(self):
        return self.process.name

    def start(self):
        self.process.start()
        # The child has its own copy now. Without this line a child that died without sending would
        # leave join waiting forever.
        self.sender.close()

    def join(self):
        # Read first, then wait: a result larger than the pipe can only be written while we read.
        try:
            kind, value = self.receiver.recv()
        except EOFError:
            kind, value = None, None
        self.process.join()
        code = self.process.exitcode
        if kind == 'returned':
            return value
        if kind == 'panicked':
            raise ChildError('%s panicked: %s' % (self.name, value))
        if code < 0:
            raise ChildError('%s was killed by %s' % (self.name, signal.Signals(-code).name))
        raise ChildError('%s exited with code %d without a result' % (self.name, code))


def squares():
    return [n * n for n in range(1, 5)]


def fails():
    raise RuntimeError('the task failed')


def exits():
    os._exit(3)


def is_killed():
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == '__main__':
    # Chapter 5 compares the ways to start a process; the twins fork, as the Rust listings do.
    multiprocessing.set_start_method('fork')
    children = [ResultProcess(task) for task in (squares, fails, exits, is_killed)]
    for child in children:
        child.start()
    for child in children:
        try:
            print('%s returned %s' % (child.name, child.join()), flush=True)
        except ChildError as error:
            print(error, flush=True)
