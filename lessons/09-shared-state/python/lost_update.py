"""Twin of Listing 9-4: the lost update, forced, with multiprocessing.Value. Python's Value has no
fetch_add: without its lock, `v.value += 1` is a load and then a store. Events play the gates."""
import multiprocessing
from multiprocessing import Event, Process, Value


def load_then_store():
    value = Value('q', 0)
    a_loaded, b_go, a_store = Event(), Event(), Event()

    def a():
        loaded = value.value
        print('A loaded %d' % loaded, flush=True)
        a_loaded.set()
        a_store.wait()
        value.value = loaded + 1
        print('A stored %d' % (loaded + 1), flush=True)

    def b():
        b_go.wait()
        loaded = value.value
        print('B loaded %d' % loaded, flush=True)
        value.value = loaded + 1
        print('B stored %d' % (loaded + 1), flush=True)

    pa, pb = Process(target=a), Process(target=b)
    pa.start()
    pb.start()
    a_loaded.wait()
    b_go.set()
    pb.join()
    a_store.set()
    pa.join()
    return value.value


def under_the_lock():
    value = Value('q', 0)
    a_loaded, b_go, a_store = Event(), Event(), Event()

    def a():
        with value.get_lock():
            loaded = value.value
            print('A locked, loaded %d' % loaded, flush=True)
            a_loaded.set()
            a_store.wait()
            value.value = loaded + 1
            print('A stored %d' % (loaded + 1), flush=True)

    def b():
        b_go.wait()
        with value.get_lock():
            loaded = value.value
            print('B locked, loaded %d' % loaded, flush=True)
            value.value = loaded + 1
            print('B stored %d' % (loaded + 1), flush=True)

    pa, pb = Process(target=a), Process(target=b)
    pa.start()
    pb.start()
    a_loaded.wait()
    b_go.set()
    a_store.set()
    pa.join()
    pb.join()
    return value.value


if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    print('load then store: two increments, the value is %d' % load_then_store(), flush=True)
    print('under the lock: two increments, the value is %d' % under_the_lock(), flush=True)
