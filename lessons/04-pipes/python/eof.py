"""Twin of Listing 4-1: end-of-file comes only when every write end is closed.

This shows a MISTAKE on purpose in its first half: the child reads until end-of-file while it still
holds the copy of the write end it inherited.
"""
import os
import select


def send_three_lines(child_closes_its_copy):
    """The parent sends three lines and closes its write end; the child reads until end-of-file."""
    reader, writer = os.pipe()
    # The child reads only once the parent has written and closed its write end.
    gate_read, gate_write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(gate_write)
        if child_closes_its_copy:
            os.close(writer)
        # else: the mistake, the copy fork gave the child stays open
        os.read(gate_read, 1)
        read_until_eof(reader)
    os.close(reader)
    os.close(gate_read)
    print('parent %d: sends 3 lines, then closes its write end' % os.getpid(), flush=True)
    for n in range(1, 4):
        os.write(writer, b'line %d\n' % n)
    os.close(writer)
    os.write(gate_write, b'x')
    os.close(gate_write)
    os.waitpid(child, 0)


def read_until_eof(reader):
    """The child's side: reads and prints lines until end-of-file, or 0.2 s without news."""
    text = b''
    poller = select.poll()
    poller.register(reader, select.POLLIN)
    while True:
        if not poller.poll(200):
            print('child %d: no end-of-file within 0.2 s: read would block forever' % os.getpid(),
                  flush=True)
            break
        chunk = os.read(reader, 64)
        if not chunk:
            print('child %d: end-of-file' % os.getpid(), flush=True)
            break
        text += chunk
        # Print each whole line as it completes.
        while b'\n' in text:
            line, text = text.split(b'\n', 1)
            print('child %d: got %s' % (os.getpid(), line.decode()), flush=True)
    os._exit(0)


print('-- the mistake: the child keeps the write end it inherited', flush=True)
send_three_lines(False)
print('-- the fix: the child closes its copy first', flush=True)
send_three_lines(True)
