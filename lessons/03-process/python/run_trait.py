"""Twin of Listing 3-5: a process defined by a subclass that overrides run()."""
from multiprocessing import Process
import os


class Countdown(Process):
    """Counts down from `start`, saying which process does the counting."""

    def __init__(self, start):
        super().__init__()
        self.start_at = start

    def run(self):
        counted = ' '.join(str(n) for n in range(self.start_at, 0, -1))
        print('%d counts %s' % (os.getpid(), counted), flush=True)


if __name__ == '__main__':
    print('main process is %d' % os.getpid(), flush=True)
    p = Countdown(3)
    p.run()    # in this process
    p.start()  # in a child
    p.join()
