"""CPython's run() after start(): start() let go of the target, so run() has nothing to call."""
from multiprocessing import get_context


def hello():
    print('hello from the child', flush=True)


if __name__ == '__main__':
    p = get_context('fork').Process(target=hello)
    p.start()
    p.join()
    try:
        p.run()
        print('run() after start() returned')
    except AttributeError as error:
        print('run() after start() raised AttributeError: %s' % error)
