"""A warm pool of worker processes, each evaluating one piece of diagram code at a time.

The server enforces the wall-clock deadline itself: it waits on the worker's pipe with
``poll`` (which releases the GIL, so the server's other requests run on), and a worker that
has not answered by the deadline is killed with SIGKILL and replaced. Nothing the evaluated
code does can catch or delay that. Workers are started with ``subprocess`` (fork + exec of a
fresh interpreter), never by forking the threaded server itself.
"""
import atexit
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..errors import ScriptError
from . import codec
from .limits import SandboxLimits

WORKER_PATH = Path(__file__).resolve().parent / "worker.py"
_QUEUE_WAIT_SECONDS = 10.0  # how long a completion waits for a free worker when all are busy


class SandboxFailure(ScriptError):
    """The sandbox stopped or refused the code; `code` says why (the services word it)."""

    def __init__(self, message, code, **params):
        super().__init__(message, code=code, params=params)


class _WorkerGone(Exception):
    """The worker died before it answered (or before it read the request)."""


class WorkerProcess:
    """One worker: a child interpreter spoken to over its stdin/stdout, one JSON line each way."""

    def __init__(self, limits):
        self.limits = limits
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_PATH), json.dumps(limits.for_worker())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True, bufsize=0, start_new_session=True)
        self._in, self._out = self.process.stdin.fileno(), self.process.stdout.fileno()
        os.set_blocking(self._in, False)
        os.set_blocking(self._out, False)
        self._buffer = b""
        try:
            ready = self._read_line(time.monotonic() + limits.start_timeout)
        except (_WorkerGone, SandboxFailure):
            self.kill()
            raise SandboxFailure("a sandbox worker could not be started", "worker_start") from None
        if ready != b'{"ready":true}':
            self.kill()
            raise SandboxFailure("a sandbox worker did not start properly", "worker_start")

    @property
    def alive(self):
        return self.process.poll() is None

    def call(self, request_line, deadline):
        """Send one request line, return the reply line; kill the worker on any overrun."""
        self._write(request_line, deadline)
        return self._read_line(deadline)

    def _write(self, data, deadline):
        view = memoryview(data)
        poller = select.poll()
        poller.register(self._in, select.POLLOUT)
        while view:
            try:
                view = view[os.write(self._in, view):]
                continue
            except BlockingIOError:
                pass
            except (BrokenPipeError, OSError):
                raise _WorkerGone() from None
            self._wait(poller, deadline)

    def _read_line(self, deadline):
        poller = select.poll()
        poller.register(self._out, select.POLLIN)
        while b"\n" not in self._buffer:
            if len(self._buffer) > self.limits.max_reply_bytes:
                self.kill()
                raise SandboxFailure(f"the code left more than {self.limits.max_reply_bytes} bytes of data",
                                     "too_large", limit=self.limits.max_reply_bytes)
            self._wait(poller, deadline)
            try:
                chunk = os.read(self._out, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                raise _WorkerGone()
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _wait(self, poller, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            self.kill()
            raise SandboxFailure(f"the code ran longer than {self.limits.time_budget:g} s and was stopped",
                                 "timeout", seconds=self.limits.time_budget)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()  # SIGKILL: nothing in the worker can catch it
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self):
        """Ask politely (end of input), then kill."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=1)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def death_reason(self):
        code = self.process.wait()
        if code == -signal.SIGXCPU:
            return SandboxFailure("the code used up its CPU time and was stopped", "timeout",
                                  seconds=self.limits.time_budget)
        return SandboxFailure("the code stopped its sandbox worker (probably out of memory)", "memory",
                              limit_mb=self.limits.memory_mb)


class SandboxPool:
    """Up to `limits.workers` warm workers, shared by every thread of the process."""

    def __init__(self, limits):
        self.limits = limits
        self._pid = os.getpid()
        self._idle = queue.LifoQueue()  # the most recently used worker is the warmest
        self._lock = threading.Lock()
        self._live = 0
        self._closed = False

    def run(self, request):
        """Send `request` (a dict) to a worker; return its reply (a dict) or raise SandboxFailure."""
        try:
            line = codec.dumps(request)
        except (TypeError, ValueError) as error:
            raise SandboxFailure(f"the task data cannot be handed to diagram code: {error}", "unstorable",
                                 name="?", type=str(error)) from None
        worker = self._acquire()
        deadline = time.monotonic() + self.limits.time_budget
        try:
            reply = worker.call(line, deadline)
        except _WorkerGone:
            failure = worker.death_reason()  # never retried: the code itself may be what killed it
            self._discard(worker)
            raise failure from None
        except SandboxFailure:
            self._discard(worker)
            raise
        self._release(worker)
        return self._decoded(reply)

    def _decoded(self, reply):
        try:
            message = codec.loads(reply)
        except (ValueError, RecursionError):
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("ok"), bool):
            raise SandboxFailure("a sandbox worker sent a malformed reply", "malformed")
        return message

    # -- the pool -----------------------------------------------------------------------------
    def _forked(self):
        """In a forked child the workers belong to the parent: forget them, start afresh."""
        if os.getpid() != self._pid:
            self._pid, self._idle, self._live, self._lock = os.getpid(), queue.LifoQueue(), 0, threading.Lock()

    def _acquire(self):
        self._forked()
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = self._start_or_wait()
            if worker.alive:
                return worker
            self._discard(worker)

    def _start_or_wait(self):
        with self._lock:
            start = self._live < self.limits.workers
            if start:
                self._live += 1
        if start:
            try:
                return WorkerProcess(self.limits)
            except SandboxFailure:
                with self._lock:
                    self._live -= 1
                raise
        try:
            return self._idle.get(timeout=_QUEUE_WAIT_SECONDS)
        except queue.Empty:
            raise SandboxFailure("every sandbox worker is busy", "busy") from None

    def _release(self, worker):
        if self._closed or os.getpid() != self._pid:
            worker.close()
            return
        self._idle.put(worker)

    def _discard(self, worker):
        worker.kill()
        with self._lock:
            self._live -= 1
        if not self._closed:
            # Warm a replacement now, off the request's path, so the next completion finds one ready.
            threading.Thread(target=self._replace, daemon=True, name="sandbox-replace").start()

    def _replace(self):
        with self._lock:
            if self._closed or self._live >= self.limits.workers:
                return
            self._live += 1
        try:
            self._idle.put(WorkerProcess(self.limits))
        except SandboxFailure:
            with self._lock:
                self._live -= 1

    def warm(self, count=None):
        """Start workers ahead of the first request (benchmarks, servers that want no cold start)."""
        started = [self._acquire() for _ in range(min(count or self.limits.workers, self.limits.workers))]
        for worker in started:
            self._release(worker)

    def shutdown(self):
        self._closed = True
        if os.getpid() != self._pid:
            return
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.close()
            with self._lock:
                self._live -= 1


_pool = None
_pool_lock = threading.Lock()
_limits = None


def configure(limits):
    """Use `limits` from now on (the application calls this from its configuration)."""
    global _limits, _pool
    with _pool_lock:
        if limits == _limits:
            return
        _limits = limits
        old, _pool = _pool, None
    if old is not None:
        old.shutdown()


def shutdown():
    """Stop this process's workers now (a server process that exits); a later use starts a new pool."""
    global _pool
    with _pool_lock:
        old, _pool = _pool, None
    if old is not None:
        old.shutdown()


def current_limits():
    """The limits in force (deployment checks use the same cardinality cap as the runs)."""
    return _limits or SandboxLimits()


def pool():
    """The process's pool, started lazily on first use and shut down at exit."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = SandboxPool(current_limits())
                atexit.register(_pool.shutdown)
    return _pool
