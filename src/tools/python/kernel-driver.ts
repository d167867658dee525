// The Python side of the kernel, shipped as a string because only .ts files are compiled into
// dist/. Node starts it as `python3 -s -c <source> name=value...`; see kernel-process.ts.
//
// Protocol: one Unix socket on `channelFd`, carrying frames that start with a 4-byte big-endian
// length. Node sends a cell as its 4-byte id, the 8-byte file-size limit it runs under (what the
// workspace's disk quota has left) and its UTF-8 source; the driver answers with JSON:
// {"type": "ready"} once at start, then {"type": "result", "id", "output", "error", "errorType"}
// per cell. Only C modules are imported here (no json, re or linecache): each Python module
// imported costs every cold start, and the target is 60 ms for all of it. User code never
// writes to that socket by accident (print goes to the capture below, and the socket is closed in
// forked children and not inherited by subprocesses), so nothing it prints can break a frame.
//
// Output: fds 1 and 2 point at one O_APPEND memfd, so subprocess and C-level output is caught in
// order with Python's. Python-level writes go to the memfd until the head budget is full, then
// into a bounded in-memory tail; everything in between is counted and dropped. So a cell printing
// 100 MB costs at most `maxOutputBytes` of memory here and in Node.
export const kernelDriverSource = String.raw`
import os, sys

def _ponder_kernel():
    import _ast, _json, builtins, collections, fcntl, io, resource

    config = dict(argument.split("=", 1) for argument in sys.argv[1:])
    config = {name: value if name == "workingDirectory" else int(value) for name, value in config.items()}
    sys.argv = [""]
    channel = config["channelFd"]
    # Fds Node inherited without CLOEXEC would otherwise leak into the sandbox.
    os.closerange(3, channel)
    os.closerange(channel + 1, 1 << 20)
    os.set_inheritable(channel, False)

    # Running as root: drop to the sandbox's own uid before any user code, so that the process
    # limit binds (root ignores RLIMIT_NPROC) and no capability is left.
    if "uid" in config:
        os.setgroups([])
        os.setresgid(config["gid"], config["gid"], config["gid"])
        os.setresuid(config["uid"], config["uid"], config["uid"])
    if "workingDirectory" in config:
        os.chdir(config["workingDirectory"])
    os.environ["PWD"] = os.getcwd()  # bwrap sets it to where it started, not where code runs.

    def limit(kind, value):
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    # Hard and soft limits alike, so user code cannot raise them again. RLIMIT_NPROC is set
    # here, inside the sandbox's user namespace when there is one, so it counts this sandbox only.
    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_AS, config["addressSpaceBytes"])
    limit(resource.RLIMIT_NPROC, config["maxProcesses"])
    limit(resource.RLIMIT_FSIZE, config["maxFileBytes"])

    class Capture:
        def __init__(self, limit_bytes):
            try:
                self.fd = os.memfd_create("ponder-output", os.MFD_CLOEXEC)
            except OSError:
                # Refused where no cgroup counts memfds: an unnamed file in the bounded /tmp.
                self.fd = os.open(os.environ["TMPDIR"], os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o600)
            fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) | os.O_APPEND)
            # The head keeps the start (setup, first results); the tail keeps the end, where
            # final results and the last progress lines are.
            self.head_limit = limit_bytes - limit_bytes // 4
            self.tail_limit = limit_bytes // 4
            self.reset()

        def reset(self):
            os.ftruncate(self.fd, 0)
            self.head_full = False
            self.tail = collections.deque()
            self.tail_size = 0
            self.dropped = 0

        def write(self, data):
            if not self.head_full:
                room = self.head_limit - os.lseek(self.fd, 0, os.SEEK_END)
                if room > 0:
                    try:
                        written = os.write(self.fd, data[:room])
                    except OSError:
                        written = 0
                    data = data[written:]
                    room -= written
                if room <= 0 or data:
                    self.head_full = True
            if not data:
                return
            self.tail.append(bytes(data))
            self.tail_size += len(data)
            while self.tail_size > self.tail_limit:
                excess = self.tail_size - self.tail_limit
                first = self.tail[0]
                if len(first) <= excess:
                    self.tail.popleft()
                    self.tail_size -= len(first)
                    self.dropped += len(first)
                else:
                    self.tail[0] = first[excess:]
                    self.tail_size -= excess
                    self.dropped += excess

        def collect(self):
            size = os.fstat(self.fd).st_size
            head = os.pread(self.fd, min(size, self.head_limit), 0)
            cut = size - len(head) + self.dropped
            text = head.decode("utf-8", "replace")
            if cut:
                text += "\n[... %s bytes of output cut ...]\n" % format(cut, ",")
            text += b"".join(self.tail).decode("utf-8", "replace")
            self.reset()
            return text

    class BinaryStream(io.RawIOBase):
        def __init__(self, capture):
            self._capture = capture
        def writable(self):
            return True
        def write(self, data):
            self._capture.write(bytes(data))
            return len(data)

    class TextStream(io.TextIOBase):
        encoding = "utf-8"
        errors = "backslashreplace"
        def __init__(self, capture, number):
            self._capture = capture
            self._number = number
            self.buffer = BinaryStream(capture)
        def writable(self):
            return True
        def write(self, text):
            if not isinstance(text, str):
                raise TypeError("write() argument must be str, not " + type(text).__name__)
            self._capture.write(text.encode("utf-8", "backslashreplace"))
            return len(text)
        def fileno(self):
            return self._number
        def isatty(self):
            return False

    capture = Capture(config["maxOutputBytes"])
    os.dup2(capture.fd, 1)
    os.dup2(capture.fd, 2)
    sys.stdout = TextStream(capture, 1)
    sys.stderr = TextStream(capture, 2)

    main_pid = os.getpid()
    # A forked child (multiprocessing, os.fork) must never talk on the protocol socket.
    os.register_at_fork(after_in_child=lambda: os.close(channel))

    def receive(size):
        chunks = []
        while size:
            chunk = os.read(channel, size)
            if not chunk:
                os._exit(0)
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def send(body):
        data = len(body).to_bytes(4, "big") + body
        while data:
            data = data[os.write(channel, data):]

    def bounded(text, limit_chars):
        if len(text) <= limit_chars:
            return text
        keep_head = limit_chars // 3
        keep_tail = limit_chars - keep_head
        cut = len(text) - keep_head - keep_tail
        return text[:keep_head] + "\n[... %s characters cut ...]\n" % format(cut, ",") + text[-keep_tail:]

    def format_error(error):
        import traceback
        show_sources()
        # Skip the driver's own frames: the model should see only its cell and what it called.
        frames = error.__traceback__
        while frames is not None and not frames.tb_frame.f_code.co_filename.startswith("<cell "):
            frames = frames.tb_next
        text = "".join(traceback.format_exception(type(error), error, frames))
        return bounded(text, config["maxOutputBytes"])

    namespace_module = type(sys)("__main__")
    namespace_module.__dict__["__builtins__"] = builtins
    # Registered as __main__ so pickle (multiprocessing, joblib) finds functions defined in cells.
    sys.modules["__main__"] = namespace_module
    namespace = namespace_module.__dict__

    cell_sources = {}

    def show_sources():
        # Lets tracebacks and inspect quote cells' lines. linecache is only imported when
        # something needs it (it pulls in re and tokenize), so sources wait here until then.
        linecache = sys.modules.get("linecache")
        if linecache is not None:
            for filename, code in cell_sources.items():
                linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)

    def run_cell(code, cell):
        filename = "<cell %d>" % cell
        cell_sources[filename] = code
        show_sources()
        tree = compile(code, filename, "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
        last = None
        # Like a notebook: a final expression's value is shown, unless the line ends with ";".
        if tree.body and isinstance(tree.body[-1], _ast.Expr) and not code.rstrip().endswith(";"):
            last = _ast.Expression(tree.body.pop().value)
        exec(compile(tree, filename, "exec", dont_inherit=True), namespace)
        if last is not None:
            value = eval(compile(last, filename, "eval", dont_inherit=True), namespace)
            if value is not None:
                namespace["_"] = value
                sys.stdout.write(repr(value) + "\n")

    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    def json_text(value):
        return "null" if value is None else _json.encode_basestring_ascii(value)

    send(b'{"type":"ready"}')
    while True:
        frame = receive(int.from_bytes(receive(4), "big"))
        cell = int.from_bytes(frame[:4], "big")
        file_size_limit = int.from_bytes(frame[4:12], "big")
        code = frame[12:].decode("utf-8", "replace")
        # The soft limit only: it fails a big write cleanly at the quota; the hard one (set at
        # start) and Node's watch on the workspace are what bind code that raises it again.
        file_size_hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
        if file_size_hard != resource.RLIM_INFINITY:
            file_size_limit = min(file_size_limit, file_size_hard)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_hard))
        # RLIMIT_CPU counts the process's whole life, so each call gets its allowance on top of
        # what earlier calls used. Past it the kernel gets SIGXCPU and dies (Node reports it).
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(usage.ru_utime + usage.ru_stime) + 1 + config["cpuSeconds"]
        if cpu_hard != resource.RLIM_INFINITY:
            soft = min(soft, cpu_hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_hard))
        error = None
        try:
            run_cell(code, cell)
        except BaseException as raised:
            if os.getpid() != main_pid:
                os._exit(1)
            error = raised
        if os.getpid() != main_pid:
            # A forked child that returned from the cell instead of exiting.
            os._exit(0)
        output = capture.collect()
        traceback_text = error_type = None
        if error is not None:
            traceback_text = format_error(error)
            error_type = type(error).__name__
            error = None
        send(('{"type":"result","id":%d,"output":%s,"error":%s,"errorType":%s}' % (
            cell, json_text(output), json_text(traceback_text), json_text(error_type))).encode())

_ponder_kernel()
`;
