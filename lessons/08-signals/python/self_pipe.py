# Python twin of Listing 8-3: Python's own self-pipe. Its C-level handler writes the signal's number
# to the descriptor given to signal.set_wakeup_fd; the Python-level handler runs later, between two
# bytecodes of the main thread.
import os
import select
import signal

read_end, write_end = os.pipe()
os.set_blocking(write_end, False)
signal.set_wakeup_fd(write_end)
for sig in (signal.SIGUSR1, signal.SIGUSR2):
    signal.signal(sig, lambda number, frame: None)
print("the loop waits in poll, on its self-pipe", flush=True)
parent = os.getpid()
after_first, first_read = os.pipe()  # a gate the loop opens once it has read the first signal
child = os.fork()
if child == 0:
    os.kill(parent, signal.SIGUSR1)
    os.read(after_first, 1)
    os.kill(parent, signal.SIGUSR2)
    os._exit(0)
seen = 0
poller = select.poll()
poller.register(read_end, select.POLLIN)
while seen < 2:
    poller.poll()
    for number in os.read(read_end, 64):
        print(f"the loop read {signal.Signals(number).name} from the pipe", flush=True)
        seen += 1
        if seen == 1:
            os.write(first_read, b"!")
_, status = os.waitpid(child, 0)
print(f"the child that sent them exited with code {os.waitstatus_to_exitcode(status)}")
