# Python twin of Listing 8-7: Ctrl-C through CPython's Pool. Four tasks of an hour each run in a
# pool of four; the test sends SIGINT to the whole process group once all four say they run.
import multiprocessing
import signal
import time


def an_hour_of_work(index):
    print("a task is running", flush=True)
    time.sleep(3600)
    return index


if __name__ == "__main__":
    # Python installs this handler at start-up unless SIGINT is ignored, as it is in a program a shell
    # started in the background; installed here, the twin behaves as it would at a terminal.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    multiprocessing.set_start_method("fork")
    with multiprocessing.Pool(4) as pool:
        try:
            print(pool.map(an_hour_of_work, range(4)))
        except KeyboardInterrupt:
            print("map: KeyboardInterrupt", flush=True)
            raise
