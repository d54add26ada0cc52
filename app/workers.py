"""Disposable extraction workers: one document each at a time, under a memory cap, watched by the parent.

A worker that dies (a signal, the out-of-memory killer, a crash) or overruns its time limit
costs only the document it held, which comes back as a failure naming why; a fresh worker
takes its place and the batch goes on. Workers fork from a forkserver that has loaded the
readers and spaCy once. Every worker exits within a second or so of the ingesting process
going away, however it went; ``close`` stops the workers, the forkserver and the resource
tracker, so nothing is left running after a batch, finished or stopped.
"""
from __future__ import annotations

import ctypes
import os
import resource
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import connection, forkserver, resource_tracker
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

MAX_MEMORY_MB = 2048  # a worker's address space by default; a warm worker maps about 300 MB of it
TASKS_PER_WORKER = 200  # a worker is replaced after this many documents, so memory cannot creep
OVERRUN_GRACE = 15.0  # seconds past its time limit before a worker stuck in native code is killed
POLL = 0.5  # seconds between checks for stopped or overdue workers
PR_SET_PDEATHSIG = 1


@dataclass
class Task:
    """An item given to a worker, and when."""
    item: Any
    started: float = field(default_factory=time.monotonic)


@dataclass
class Lost:
    """An item whose worker died or overran, and why."""
    item: Any
    reason: str


@dataclass
class Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None
    done: int = 0


@dataclass(frozen=True)
class Limits:
    """Per-worker limits: seconds per document and megabytes of address space (0: none)."""
    timeout: float
    max_memory_mb: int


def _die_with_parent(parent: int) -> None:
    """Exit at once when ``parent`` (the ingesting process) ends, however it ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the forkserver, our direct parent, going
    except (OSError, AttributeError):
        pass
    try:
        handle = os.pidfd_open(parent)
    except (OSError, AttributeError):  # the parent is gone already, or no pidfd on this system
        handle = None
        if not _alive(parent):
            os._exit(1)

    def watch() -> None:
        while True:
            if handle is not None:
                select.select([handle], [], [])  # readable once the parent has exited
                os._exit(1)
            time.sleep(POLL)
            if not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _cap_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(conn: Connection, work: Callable[[Any], Any], limits: Limits, parent: int) -> None:
    """A worker's life: take items from ``conn`` and send back ``work(item)`` until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _cap_memory(limits.max_memory_mb)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        conn.send(work(item))


def death(process: BaseProcess) -> str:
    """Why a worker is gone, from its exit code."""
    code = process.exitcode
    if code is None:
        return "worker vanished"
    if code < 0:
        return f"worker killed by signal {-code}"
    return f"worker exited with status {code}"


class Pool:
    """``size`` workers running ``work`` on items; answers come back in the order they finish.

    ``failed(item, reason)`` is what a document becomes when its worker dies or overruns.
    """

    def __init__(self, context: BaseContext, size: int, work: Callable[[Any], Any],
                 failed: Callable[[Any, str], Any], limits: Limits) -> None:
        self.context, self.size, self.work, self.failed, self.limits = context, size, work, failed, limits
        self.workers: list[Worker] = []

    def _spawn(self) -> Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=serve, args=(theirs, self.work, self.limits, os.getpid()),
                                       daemon=True, name="scrutiny-worker")
        process.start()
        theirs.close()
        return Worker(process, ours)

    def map(self, items: Iterable[Any], stopping: Callable[[], bool] = lambda: False) -> Iterator[Any]:
        """Each item's answer as it finishes; when ``stopping()`` turns true no new item starts."""
        queue = deque(items)
        while queue or any(w.task for w in self.workers):
            if stopping():
                return
            self._top_up(queue)
            for answer in self._collect():
                if isinstance(answer, Lost):
                    if stopping():  # a signal to the whole group stopped it too: not the document's fault
                        continue
                    answer = self.failed(answer.item, answer.reason)
                if not stopping():
                    self._top_up(queue)  # the freed worker starts its next item while this answer is stored
                yield answer

    def _top_up(self, queue: deque) -> None:
        """Replace workers that have gone and give every idle one the next item."""
        live = []
        for worker in self.workers:
            if worker.task is None and not worker.process.is_alive():
                worker.conn.close()
                worker.process.join(5)
            else:
                live.append(worker)
        self.workers = live
        while queue and len(self.workers) < self.size:
            self.workers.append(self._spawn())
        for worker in self.workers:
            if worker.task is None and queue:
                worker.task = Task(queue.popleft())
                worker.conn.send(worker.task.item)

    def _collect(self) -> Iterator[Any]:
        """Answers of the workers that finished, and failures for those that died or overran."""
        busy = [w for w in self.workers if w.task]
        ready = connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL)
        for worker in busy:
            task = worker.task
            if worker.conn in ready or worker.conn.poll():
                try:
                    answer = worker.conn.recv()
                except (EOFError, OSError):  # died while answering
                    worker.process.join(1)
                    answer = Lost(task.item, death(worker.process))
                    self._discard(worker)
                worker.task = None
                worker.done += 1
                if worker.done >= TASKS_PER_WORKER or getattr(answer, "out_of_memory", False):
                    self._retire(worker)  # a fresh process, not a grown or fragmented heap, goes on
                yield answer
            elif worker.process.sentinel in ready:
                worker.process.join(1)
                worker.task = None
                self._discard(worker)
                yield Lost(task.item, death(worker.process))
            elif time.monotonic() - task.started > self.limits.timeout + OVERRUN_GRACE:
                worker.process.kill()
                worker.process.join(5)
                worker.task = None
                self._discard(worker)
                yield Lost(task.item, "took longer than the time limit")

    def _retire(self, worker: Worker) -> None:
        try:
            worker.conn.send(None)
        except OSError:
            pass
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(5)
        self._discard(worker)

    def _discard(self, worker: Worker) -> None:
        worker.conn.close()
        self.workers.remove(worker)

    def close(self) -> None:
        """Stop every worker (abandoning documents in flight), then the forkserver and the resource tracker."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in self.workers:
            worker.process.join(5)
            worker.conn.close()
        self.workers = []
        stop_helpers()


def stop_helpers() -> None:
    """Stop multiprocessing's forkserver and resource tracker (they start again when next needed)."""
    for helper in (getattr(forkserver, "_forkserver", None), getattr(resource_tracker, "_resource_tracker", None)):
        stop = getattr(helper, "_stop", None)
        if stop is not None:
            try:
                stop()
            except (OSError, ChildProcessError):
                pass
