"""Inside a grading kernel: a hidden test cell runs without leaving its code in the kernel's records.

The grader (``autograder.run.execute``) sends a hidden test cell with ``store_history=False``, so IPython keeps
it out of ``In``, ``_ih``, ``_i``/``_ii``/``_iii``, the history manager and its database (``%history``, also
``-g``). Around that cell it runs ``before()`` and ``after()`` here, each as a silent request (no history,
no events, no log): while the cell runs, IPython does not put its code into ``linecache`` (so
``inspect.getsource`` and tracebacks, also of frames kept for later, find no line of it) and an input log
started with ``%logstart`` is paused; afterwards ``sys.last_*`` (the cell's traceback and its frames), the results
kept in ``_``, ``Out`` and the like, and the code of ``get_ipython().last_execution_result`` are as
before the cell (names the hidden cell assigned stay: later hidden cells may use them, as in nbgrader).
The grading kernel (``autograder.run.grading_kernel``, every sandboxed kernel's) calls both itself, inside
the hidden cell's own request, and says so in its ``kernel_info`` reply (``KERNEL_INFO_KEY``): then no
silent request is sent.

What this does not do, and cannot: the hidden test calls the student's functions, in the student's
kernel. Code that runs *while* the hidden cell runs can see it (its caller's frame and constants, the
request being executed, an IPython event the student registered), and a student's earlier cell can undo
any of this. The guarantee that nothing of a hidden test reaches a student is the feedback's
(``autograder.outputs.redact``), which does not trust the kernel; this keeps the easy routes empty.
"""

import sys

KERNEL_INFO_KEY = "autograder_hidden_cells"  # in a kernel's kernel_info reply: it runs before/after itself
_LAST = ("last_type", "last_value", "last_traceback", "last_exc")
_saved: dict = {}
_MISSING = object()


def _results(shell) -> dict:
    """Where IPython's display hook keeps a cell's result: ``_``, ``__``, ``___``, ``_<n>``, ``Out[n]`` and
    the history manager's outputs of ``n`` (a hidden cell does not advance ``n``, so its result would stand
    in for the previous cell's)."""
    count = shell.execution_count - 1  # the display hook's prompt_count
    history = shell.history_manager
    return {"count": count,
            "names": {name: shell.user_ns[name] for name in ("_", "__", "___", f"_{count}") if name in shell.user_ns},
            "out": shell.user_ns.get("_oh", {}).get(count, _MISSING),
            "outputs": list(history.outputs.get(count, [])) if history is not None else [],
            "repr": history.output_hist_reprs.get(count, _MISSING) if history is not None else _MISSING}


def _restore_results(shell, saved: dict) -> None:
    count, now = saved["count"], _results(shell)
    for name in now["names"].keys() - saved["names"].keys():
        shell.user_ns.pop(name, None)
    shell.user_ns.update(saved["names"])
    for table, key in ((shell.user_ns.get("_oh"), "out"),
                       (getattr(shell.history_manager, "output_hist_reprs", None), "repr")):
        if table is None:
            continue
        if saved[key] is _MISSING:
            table.pop(count, None)
        else:
            table[count] = saved[key]
    if shell.history_manager is not None:
        if saved["outputs"]:
            shell.history_manager.outputs[count] = saved["outputs"]
        else:
            shell.history_manager.outputs.pop(count, None)


def _shell():
    from IPython import get_ipython

    return get_ipython()


def before() -> None:
    """The next cell is hidden: keep its code out of linecache and the input log."""
    shell = _shell()
    compiler = shell.compile
    _saved.clear()
    _saved["last"] = {name: getattr(sys, name) for name in _LAST if hasattr(sys, name)}
    _saved["logging"] = shell.logger.log_active
    shell.logger.log_active = False
    _saved["results"] = _results(shell)
    _saved["cache"] = compiler.__dict__.get("cache")  # an instance attribute only if someone set one
    _saved["compiler"] = compiler

    def cache(transformed_code: str, number: int = 0, raw_code: str | None = None) -> str:
        """The name IPython compiles the cell under, without its lines in linecache."""
        return compiler.get_code_name(raw_code if raw_code is not None else transformed_code,
                                      transformed_code, number)

    compiler.cache = cache


def after() -> None:
    """The hidden cell has run: undo ``before`` and forget the cell's traceback and code."""
    shell = _shell()
    compiler = _saved.get("compiler", shell.compile)
    if _saved.get("cache") is None:
        compiler.__dict__.pop("cache", None)
    else:
        compiler.cache = _saved["cache"]
    shell.logger.log_active = _saved.get("logging", shell.logger.log_active)
    last = _saved.get("last", {})
    for name in _LAST:
        if name in last:
            setattr(sys, name, last[name])
        elif hasattr(sys, name):
            delattr(sys, name)
    if "results" in _saved:
        _restore_results(shell, _saved["results"])
    result = shell.last_execution_result
    if result is not None and not result.info.store_history:
        result.info.raw_cell = result.info.transformed_cell = ""
        if result.error_in_exec is not None:
            result.error_in_exec.__traceback__ = None
    _saved.clear()
