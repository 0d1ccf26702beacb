"""Twin of Listing 4-6: a message longer than PIPE_BUF is torn by another writer's message, unless the
writers take a lock. This shows a MISTAKE on purpose in its first half.

The unlucky timing is forced, as in the Rust listing: writer A is stopped with SIGSTOP while it waits
for room in the middle of its write, and writer B goes meanwhile.
"""
import fcntl
import multiprocessing
import os
import select
import signal
import struct
import termios

PIPE_BUF = select.PIPE_BUF
PIPE_SIZE = 64 * 1024  # the pipe's capacity, set explicitly: Linux's default


def write_all(fd, data):
    """Writes all of data: after a short write, writes the rest."""
    while data:
        data = data[os.write(fd, data):]


def bytes_waiting(fd):
    return struct.unpack('i', fcntl.ioctl(fd, termios.FIONREAD, b'\0\0\0\0'))[0]


def size(n):
    kib, rest = divmod(n, 1024)
    if kib == 0:
        return '%d bytes' % rest
    return '%d KiB' % kib if rest == 0 else '%d KiB + %d bytes' % (kib, rest)


def runs(data):
    """The bytes as runs of one byte each."""
    found = []
    for byte in data:
        if found and found[-1][0] == byte:
            found[-1][1] += 1
        else:
            found.append([byte, 1])
    return ', '.join("%s of '%s'" % (size(n), chr(byte)) for byte, n in found)


def fork_writer(writer, message, lock):
    child = os.fork()
    if child == 0:
        if lock is None:
            write_all(writer, message)
        else:
            with lock:
                write_all(writer, message)
        os._exit(0)
    return child


def two_writers(lock):
    reader, writer = os.pipe()
    fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    write_all(writer, b'.' * (PIPE_SIZE - PIPE_BUF))
    waiting = bytes_waiting(reader)
    print('the pipe holds %d KiB, of which %d KiB wait to be read' % (PIPE_SIZE // 1024, waiting // 1024),
          flush=True)

    a = fork_writer(writer, b'A' * (PIPE_BUF + 8), lock)
    # When the pipe is full, A has written what fit and waits for room: stop it there.
    while bytes_waiting(reader) < PIPE_SIZE:
        os.sched_yield()
    os.kill(a, signal.SIGSTOP)
    os.waitpid(a, os.WUNTRACED)
    print('A is stopped in one write of %s: %s went in' % (size(PIPE_BUF + 8), size(PIPE_SIZE - waiting)),
          flush=True)

    received = b''
    while len(received) < PIPE_SIZE:
        received += os.read(reader, PIPE_SIZE - len(received))
    print('the reader empties the pipe; B starts writing 8 bytes; A goes on', flush=True)
    b = fork_writer(writer, b'B' * 8, lock)
    if lock is None:
        os.waitpid(b, 0)  # nothing holds B back: it has written once it has ended
    os.kill(a, signal.SIGCONT)
    os.waitpid(a, 0)
    if lock is not None:
        os.waitpid(b, 0)  # B could take the lock only once A had written all and let it go
    os.close(writer)
    while True:
        chunk = os.read(reader, PIPE_SIZE)
        if not chunk:
            break
        received += chunk
    os.close(reader)
    print('the reader got: %s' % runs(received), flush=True)


print('-- without a lock', flush=True)
two_writers(None)
print('-- with a lock', flush=True)
# The kind of lock CPython's Queue holds around each write.
two_writers(multiprocessing.Lock())
