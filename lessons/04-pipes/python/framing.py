"""Twin of Listing 4-2: messages in frames over a pipe, and two children that break the format.

multiprocessing.Connection frames its messages the same way (with a big-endian signed header); this
twin frames by hand, as the Rust listing does, so that the two print the same errors.
"""
import os
import struct

HEADER = 4
MAX_FRAME = 1 << 30


def write_all(fd, data):
    """Writes all of data: after a short write, writes the rest."""
    while data:
        data = data[os.write(fd, data):]


def write_frame(fd, body):
    write_all(fd, struct.pack('<I', len(body)) + body)


def read_full(fd, size):
    """Reads until size bytes have come or the stream ends."""
    data = b''
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def gib(size):
    value = size / (1 << 30)
    return '%d GiB' % value if value == int(value) else '%.1f GiB' % value


class FrameError(Exception):
    pass


def read_frame(fd):
    """The body of the next frame, or None if the stream ended cleanly between two frames."""
    header = read_full(fd, HEADER)
    if not header:
        return None
    if len(header) < HEADER:
        raise FrameError('truncated frame: the stream ended after %d of the %d bytes of its header'
                         % (len(header), HEADER))
    (declared,) = struct.unpack('<I', header)
    if declared > MAX_FRAME:
        raise FrameError('corrupt frame header: it declares a body of %s, over the limit of %s'
                         % (gib(declared), gib(MAX_FRAME)))
    body = read_full(fd, declared)
    if len(body) < declared:
        raise FrameError('truncated frame: the stream ended after %d of the %d bytes of its body'
                         % (len(body), declared))
    return body


def describe(body):
    if len(body) >= 1024 and body == body[:1] * len(body):
        return "%d KiB, all '%s'" % (len(body) // 1024, body[:1].decode())
    return '%d bytes: "%s"' % (len(body), body.decode())


def receive_frames(send):
    """Forks a child that runs send on the write end of a pipe; reads frames until the stream ends."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reader)
        send(writer)
        os._exit(0)
    os.close(writer)
    while True:
        try:
            body = read_frame(reader)
        except FrameError as error:
            print('error: %s' % error, flush=True)
            break
        if body is None:
            print('end of the stream: every write end is closed', flush=True)
            break
        print('received %s' % describe(body), flush=True)
    os.close(reader)
    os.waitpid(child, 0)


def three_frames(fd):
    write_frame(fd, b'hi')
    write_frame(fd, b'x' * (10 * 1024))
    write_frame(fd, b'')


def dies_in_a_frame(fd):
    write_all(fd, struct.pack('<I', 8))  # a header announcing 8 bytes...
    write_all(fd, b'abc')  # ...and only 3 of them


print('-- three frames, then the end of the stream', flush=True)
receive_frames(three_frames)
print('-- a child that dies in the middle of a frame', flush=True)
receive_frames(dies_in_a_frame)
print('-- a child that writes a line of text instead of a frame', flush=True)
receive_frames(lambda fd: write_all(fd, b'hello\n'))
