"""Twin of Listing 1-6: the buffered-output trap. This shows a MISTAKE on purpose.

Python's own sys.stdout is block-buffered when it is a pipe or a file (unless python3 -u or
PYTHONUNBUFFERED is in force), which sets the same trap. Like the Rust listing, this twin writes
through a buffer of its own, so it shows the trap however Python was started.
"""
import os
import sys


def fork_with_text_in_the_buffer(flush_first):
    out = open(sys.stdout.fileno(), 'w', buffering=8192, closefd=False)
    out.write('written once, before fork\n')
    if flush_first:
        out.flush()  # the fix: an empty buffer has nothing to copy
    child = os.fork()
    if child == 0:
        out.write('child: done\n')
        out.flush()
        os._exit(0)
    os.waitpid(child, 0)
    out.write('parent: done\n')
    out.flush()


print('-- the trap: text still in a buffer when fork copies the process', flush=True)
fork_with_text_in_the_buffer(False)
print('-- the fix: flush before fork', flush=True)
fork_with_text_in_the_buffer(True)
