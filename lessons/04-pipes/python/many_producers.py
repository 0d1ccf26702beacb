"""Twin of Listing 4-7: a multiprocessing.Queue with three producers and one consumer."""
from multiprocessing import Process, Queue, current_process
import multiprocessing
import queue as queues
import select

SIZES = [10, 5 * 1024, 40 * 1024]


def fill_byte(producer):
    """Every byte of a producer's bodies: the last character of its name."""
    return producer[-1].encode()


def produce(q):
    name = current_process().name
    for seq, size in enumerate(SIZES):
        q.put((name, seq, fill_byte(name) * size))


def yes(answer):
    return 'yes' if answer else 'no'


def size(n):
    return '%d bytes' % n if n < 1024 else '%d KiB' % (n // 1024)


if __name__ == '__main__':
    # Chapter 5 compares the ways to start a process; the twins fork, as the Rust listings do.
    multiprocessing.set_start_method('fork')
    print('PIPE_BUF is %d KiB; each producer puts messages of 10 bytes, 5 KiB and 40 KiB'
          % (select.PIPE_BUF // 1024), flush=True)
    q = Queue()
    producers = [Process(target=produce, args=(q,)) for _ in range(3)]
    for producer in producers:
        producer.start()
    # Get everything before joining the producers: a producer whose messages are still on their way
    # to the pipe does not end before someone reads.
    received = {}
    for _ in range(len(producers) * len(SIZES)):
        name, seq, body = q.get()
        received.setdefault(name, []).append((seq, body))
    for name in sorted(received):
        messages = received[name]
        sizes = ', '.join(size(len(body)) for seq, body in messages)
        in_order = all(seq == i for i, (seq, body) in enumerate(messages))
        whole = all(body == fill_byte(name) * SIZES[seq] for seq, body in messages)
        print('%s: %s; in the order put: %s; each whole: %s' % (name, sizes, yes(in_order), yes(whole)),
              flush=True)
    for producer in producers:
        producer.join()
    try:
        q.get_nowait()
        empty = False
    except queues.Empty:
        empty = True
    print('then the queue is empty: %s' % yes(empty), flush=True)
