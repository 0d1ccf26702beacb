"""A lambda as a Process target: it runs when the child is a fork of this process, and is refused when
the start method must pickle the target: spawn, and forkserver, the default on Linux from 3.14."""
from multiprocessing import forkserver, get_context, resource_tracker
import pickle


def main():
    for method in ('fork', 'spawn', 'forkserver'):
        p = get_context(method).Process(target=lambda: None)
        try:
            p.start()
        except (pickle.PicklingError, AttributeError, TypeError):
            print('%10s: refused, the target cannot be pickled' % method)
            continue
        p.join()
        print('%10s: the lambda ran, exit code %s' % (method, p.exitcode))


if __name__ == '__main__':
    main()
    # Python stops its fork server and resource tracker a moment after the program ends; stopping
    # them here lets the test check that nothing is left behind.
    forkserver._forkserver._stop()
    resource_tracker._resource_tracker._stop()
