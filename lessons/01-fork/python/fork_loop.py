"""Twin of Listing 1-5: fork in a loop; k forks make 2**k processes."""
import os
import sys

k = int(sys.argv[1]) if len(sys.argv) > 1 else 3
root = os.getpid()
print('process %d starts a loop of %d forks' % (root, k), flush=True)
in_my_tree = 1
forks_made = 0
for _ in range(k):
    child = os.fork()
    if child != 0:
        forks_made += 1
        # A child ends with the size of its own tree as its exit code.
        _, status = os.waitpid(child, 0)
        in_my_tree += os.waitstatus_to_exitcode(status)
    else:
        in_my_tree = 1
        forks_made = 0
print('process %d, child of %d, forks made: %d' % (os.getpid(), os.getppid(), forks_made), flush=True)
if os.getpid() != root:
    os._exit(in_my_tree)
print('%d processes in all, 2^%d = %d' % (in_my_tree, k, 2 ** k), flush=True)
