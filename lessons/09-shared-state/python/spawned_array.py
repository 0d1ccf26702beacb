"""Twin of Listing 9-3: an Array handed to a process started by the spawn method."""
import multiprocessing
from multiprocessing import Array, Process, resource_tracker


def square_all(array):
    print('child: a fresh program, handed %s' % list(array), flush=True)
    for i in range(len(array)):
        array[i] = array[i] * array[i]


if __name__ == '__main__':
    multiprocessing.set_start_method('spawn')
    # lock=False: no semaphore beside it; the Rust array's lock is not used here either.
    array = Array('q', [1, 2, 3, 4], lock=False)
    p = Process(target=square_all, args=(array,))
    p.start()
    p.join()
    print('parent: the child exited with code %d; the array holds %s' % (p.exitcode, list(array)))
    # The spawn method starts a resource tracker, which Python stops a moment after the program ends;
    # stopping it here lets the test check that nothing is left behind.
    resource_tracker._resource_tracker._stop()
