"""Run a notebook in a fresh kernel with caps on time and output, and say how the run ended.

A run never raises for what the notebook does: errors in cells are kept as outputs, and a timeout, a dead
kernel or a flood of output end the run with a status and a reason a person can read.
"""

import asyncio
import atexit
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

from autograder.core.config import THREAD_ENV, Limits
from autograder.core.course import is_hidden, is_test
from autograder.core.status import Status
from autograder.judge.records import RECORD_MIME
from autograder.run.hidden_cells import KERNEL_INFO_KEY


@dataclass
class Run:
    """How one notebook run ended: the executed notebook, a status and a reason."""

    notebook: nbformat.NotebookNode
    status: Status = Status.GRADED
    reason: str = ""
    seconds: float = 0.0
    cell_seconds: dict[int, float] = field(default_factory=dict)
    stopped_at: int | None = None  # the cell running when a time limit, a dead kernel or the memory cap ended it
    phases: dict[str, float] = field(default_factory=dict)  # seconds by phase (make bench prints them)
    reply_errors: dict[int, str] = field(default_factory=dict)  # cell index -> "ename: evalue" of an error reply


class _CappedClient(NotebookClient):
    """nbclient's client with a budget on output bytes, kept apart for records and for the rest.

    Every message that can add to a notebook or to the client's memory counts: outputs, display updates
    (``update_display_data`` and ``display_data`` with a display id), widget ``comm`` messages (their
    state and binary buffers, never stored). Past the budget they are dropped, except errors: an error output is always
    kept, its traceback cut to ``ERROR_BYTES``, and a cell's verdict comes from its execute reply anyway
    (``Run.reply_errors``), never only from what was displayed. Hidden test cells run without entering the
    kernel's history (see ``async_execute_cell``)."""

    def __init__(self, nb, limits: Limits, **kwargs):
        # no widget state kept: grading never needs it, and a student's malformed state (no _model_module)
        # would crash nbclient's final write of it
        super().__init__(nb, store_widget_state=False, **kwargs)
        self._limits = limits
        self._spent = {"output": 0, "record": 0}
        self.truncated = False

    def process_message(self, msg, cell, cell_index):
        msg_type = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        if msg_type in _FREE:
            return super().process_message(msg, cell, cell_index)
        content = msg.get("content", {})
        if msg_type == "error":
            return super().process_message({**msg, "content": _bounded_error(content)}, cell, cell_index)
        size = len(json.dumps(content, default=str)) + sum(len(b) for b in msg.get("buffers") or [])
        kind = "record" if msg_type == "display_data" and RECORD_MIME in content.get("data", {}) else "output"
        cap = self._limits.record_bytes if kind == "record" else self._limits.output_bytes
        self._spent[kind] += size
        if self._spent[kind] > cap:
            if "execution_count" in content:
                cell["execution_count"] = content["execution_count"]
            if not self.truncated:
                self.truncated = True
                cell.outputs.append(nbformat.v4.new_output(
                    "stream", name="stderr", text=f"[output beyond {cap // 1024} KiB dropped by the grader]\n"))
            return None
        if msg_type.startswith("comm"):
            try:  # a widget message the student shaped (no _model_module) must not end the run
                return super().process_message(msg, cell, cell_index)
            except (KeyError, TypeError, ValueError, AttributeError):
                return None
        return super().process_message(msg, cell, cell_index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        """A hidden test cell (a test cell with a ``BEGIN HIDDEN TESTS`` region) runs with
        ``store_history=False`` (never in ``In``, ``_ih``, ``%history`` or the history database) between
        ``autograder.run.hidden_cells.before()`` and ``after()`` (never in ``linecache``, the input log or
        ``sys.last_traceback``): run by the grading kernel inside the cell's own request when its
        ``kernel_info`` says so (``autograder.run.grading_kernel``, every sandboxed kernel), else each a silent
        request of its own. Other cells run as nbclient runs them.
        This is hygiene, not a guarantee: see ``autograder.run.hidden_cells`` and ``autograder.outputs.redact``."""
        if not (is_test(cell) and is_hidden(cell) and cell.source.strip()):
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if getattr(self.kc, "kernel_info_content", {}).get(KERNEL_INFO_KEY):  # the grading kernel wraps it itself
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history=False)
        await self._silently("before")
        executed = await super().async_execute_cell(cell, cell_index, execution_count, store_history=False)
        await self._silently("after")
        return executed

    async def _async_poll_kernel_alive(self) -> None:
        """nbclient's watch for a kernel that died during a cell, every ``ALIVE_POLL_SECONDS`` instead of every
        second: a kernel a student's code ended (``os._exit``, a signal, the memory cap) is noticed at once,
        not up to a second later (a cheap check: the kernel process's pidfd or ``waitpid``)."""
        while True:
            await asyncio.sleep(ALIVE_POLL_SECONDS)
            try:
                await self._async_check_alive()
            except DeadKernelError:
                assert self.task_poll_for_reply is not None
                self.task_poll_for_reply.cancel()
                return

    async def _silently(self, step: str) -> None:
        """Run ``autograder.run.hidden_cells.<step>()`` in the kernel: no history, no output, no name bound.
        Its failure (a kernel whose student broke it) is ignored: the cell itself still runs unstored."""
        code = f"__import__('autograder.run.hidden_cells', fromlist=['{step}']).{step}()"
        msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False, stop_on_error=False))
        await self.async_wait_for_reply(msg_id)


ALIVE_POLL_SECONDS = 0.05  # how often a running cell's kernel is checked for being alive (nbclient: 1 s)
_FREE = ("status", "execute_input", "clear_output", "shutdown_reply")  # carry no payload a student can grow
ERROR_BYTES = 64 << 10  # of one error's traceback and value, kept whatever the budget


def _bounded_error(content: dict) -> dict:
    """An error message's content with its value and traceback cut to ``ERROR_BYTES`` (the last lines of a
    traceback are the ones that say what went wrong)."""
    evalue = str(content.get("evalue", ""))[:2000]
    kept, size = [], len(evalue)
    for line in reversed([str(line) for line in content.get("traceback", [])]):
        line = line[:4000]
        if size + len(line) > ERROR_BYTES:
            kept.append("[traceback cut by the grader]")
            break
        kept.append(line)
        size += len(line)
    return {**content, "ename": str(content.get("ename", ""))[:200], "evalue": evalue, "traceback": kept[::-1]}


def _label(notebook, index: int | None) -> str:
    if index is None or index >= len(notebook.cells):
        return "a cell"
    gid = notebook.cells[index].get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index + 1}" + (f" ({gid})" if gid else "")


def run_notebook(notebook: nbformat.NotebookNode, cwd: Path, env: dict[str, str] | None = None,
                 limits: Limits | None = None, kernel_name: str = "python3", km=None) -> Run:
    """Execute ``notebook`` (modified in place) in a new kernel started in ``cwd``.

    ``env`` is added to the kernel's environment (over this process's). ``km``, a jupyter_client
    KernelManager, replaces the default kernel: when its kernel is already started (the sandbox's are),
    the notebook runs in it and stopping it is the caller's job.
    """
    limits = limits or Limits()
    kernel_started = km is not None and km.has_kernel  # then stopping it is the caller's job
    kernel_env = {**os.environ, **THREAD_ENV, **(env or {})}
    client = _CappedClient(notebook, limits, km=km, timeout=limits.cell_seconds, allow_errors=True,
                           kernel_name=kernel_name, startup_timeout=limits.kernel_start_seconds,
                           shutdown_kernel="immediate",
                           resources={"metadata": {"path": str(cwd)}})
    current = {"index": None}
    started = {}
    client.on_cell_start = lambda cell, cell_index: (current.update(index=cell_index),
                                                     started.update({cell_index: time.perf_counter()}))
    run = Run(notebook)
    cell_times = run.cell_seconds
    client.on_cell_executed = lambda cell, cell_index, execute_reply: (
        cell_times.update({cell_index: time.perf_counter() - started.get(cell_index, time.perf_counter())}),
        _note_reply(run.reply_errors, cell_index, execute_reply))
    marks: dict[str, float] = {}
    client.on_notebook_start = lambda **_: marks.setdefault("ready", time.perf_counter())
    client.on_notebook_complete = lambda **_: marks.setdefault("done", time.perf_counter())
    expired = threading.Event()
    watchdog = threading.Timer(limits.notebook_seconds, _kill_kernel, args=(client, expired))
    watchdog.daemon = True
    begin = time.perf_counter()
    try:
        watchdog.start()
        client.execute(env=kernel_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cleanup_kc=not kernel_started)
    except CellTimeoutError:
        run.status, run.stopped_at = Status.TIMEOUT, current["index"]
        run.reason = f"{_label(notebook, current['index'])} ran longer than {limits.cell_seconds:g} s"
    except DeadKernelError:
        if expired.is_set():
            run.status = Status.TIMEOUT
            run.reason = f"the notebook ran longer than {limits.notebook_seconds:g} s in all"
        else:
            run.status, run.stopped_at = Status.CRASHED, current["index"]
            run.reason = f"the kernel died while running {_label(notebook, current['index'])}"
    except Exception as error:  # a kernel that never starts, a protocol error: never fatal to a batch
        run.status = Status.CRASHED
        run.reason = f"{type(error).__name__}: {str(error)[:300]}"
    finally:
        watchdog.cancel()
        if kernel_started and client.kc is not None:
            client.kc.stop_channels()
        # nbclient leaves its exit hook registered when a kernel dies before answering (a traceback at exit)
        atexit.unregister(client._cleanup_kernel)
        end = time.perf_counter()
        run.seconds = end - begin
        run.phases = _phases(begin, marks, end, sum(cell_times.values()))
    if run.status == Status.GRADED and _raised(notebook, "MemoryError"):
        run.status = Status.MEMORY
        run.reason = "the notebook ran out of memory (MemoryError)"
    elif run.status == Status.CRASHED and expired.is_set():
        run.status = Status.TIMEOUT
    if client.truncated:
        run.reason = (run.reason + "; " if run.reason else "") + "output was truncated"
    return run


def _note_reply(errors: dict[int, str], index: int, reply: dict | None) -> None:
    """Remember a cell whose execute reply says it raised (the verdict, whatever outputs were shown)."""
    content = (reply or {}).get("content", {})
    if content.get("status") not in (None, "ok"):
        errors[index] = f"{str(content.get('ename', 'error'))[:200]}: {str(content.get('evalue', ''))[:300]}"


def _phases(begin: float, marks: dict[str, float], end: float, in_cells: float) -> dict[str, float]:
    """Where a run's time went: starting the kernel (until it answers), the cells themselves, the
    messages between cells, shutting the kernel down."""
    ready, done = marks.get("ready", end), marks.get("done", end)
    return {"kernel start": ready - begin, "cells": in_cells, "between cells": max(done - ready - in_cells, 0.0),
            "kernel shutdown": end - done}


def _kill_kernel(client: NotebookClient, expired: threading.Event) -> None:
    """Watchdog: the notebook's time is up. SIGKILL ignores whatever the kernel does with SIGINT."""
    expired.set()
    try:
        process = client.km.provisioner.process  # type: ignore[union-attr]
        os.kill(process.pid, signal.SIGKILL)
    except Exception:
        pass


def _raised(notebook, ename: str) -> bool:
    return any(out.get("output_type") == "error" and out.get("ename") == ename
               for cell in notebook.cells if cell.cell_type == "code" for out in cell.get("outputs", []))
