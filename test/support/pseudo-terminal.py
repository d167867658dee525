# Runs a command in a pseudo-terminal: what it writes comes out on stdout, what arrives on stdin
# is typed into it (so "\x03" is a real Ctrl-C key). Exits with the command's exit code (128 + n
# when signal n killed it).
import os
import pty
import select
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

sources = [fd, 0]
while fd in sources:
    readable, _, _ = select.select(sources, [], [])
    if fd in readable:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            sources.remove(fd)
        else:
            os.write(1, data)
    if 0 in readable:
        data = os.read(0, 65536)
        if not data:
            sources.remove(0)
        else:
            os.write(fd, data)

_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
