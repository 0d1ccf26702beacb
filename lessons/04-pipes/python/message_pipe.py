"""Twin of Listing 4-3: an object crosses a pipe to a child, pickled; an answer comes back."""
from dataclasses import dataclass
from multiprocessing import Pipe, Process
import multiprocessing
import os


@dataclass
class Item:
    name: str
    quantity: int
    price: int


@dataclass
class Order:
    """An order: a class of ours, with a nested class, a list and an optional note."""
    id: int
    customer: str
    items: list
    note: str = None


def serve(orders, total_sender):
    order = orders.recv()
    items = ', '.join('%d x %s at %d' % (i.quantity, i.name, i.price) for i in order.items)
    note = order.note or 'none'
    print('child %d received order %d for %s: %s; note: %s'
          % (os.getpid(), order.id, order.customer, items, note), flush=True)
    total_sender.send(sum(i.quantity * i.price for i in order.items))


if __name__ == '__main__':
    # Chapter 5 compares the ways to start a process; the twins fork, as the Rust listings do.
    multiprocessing.set_start_method('fork')
    # A pipe goes one way: orders go to the child through one, totals come back through another.
    orders, order_sender = Pipe(duplex=False)
    totals, total_sender = Pipe(duplex=False)
    p = Process(target=serve, args=(orders, total_sender))
    p.start()
    order = Order(7, 'Ada', [Item('tea', 2, 3), Item('cake', 1, 4)], 'no sugar')
    print('parent %d sends order %d for %s' % (os.getpid(), order.id, order.customer), flush=True)
    order_sender.send(order)
    print('parent %d received the total: %d' % (os.getpid(), totals.recv()), flush=True)
    p.join()
