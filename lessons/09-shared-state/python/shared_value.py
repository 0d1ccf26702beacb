"""Twin of Listing 9-2: a plain variable is copied by the fork, a Value is shared."""
import multiprocessing
from multiprocessing import Process, Value

plain = 0


def child(shared):
    global plain
    plain = 42
    shared.value = 42
    print('child: set both to 42', flush=True)


if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    # 'q' is a C long long, the i64 of the Rust listing.
    shared = Value('q', 0)
    p = Process(target=child, args=(shared,))
    p.start()
    p.join()
    print('parent: the plain variable holds %d' % plain)
    print('parent: the Value holds %d' % shared.value)
