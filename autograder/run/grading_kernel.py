"""The grading kernel: ipykernel's, with a hidden test cell's hygiene done inside the same request.

The grader sends a hidden test cell as the only non-silent ``execute_request`` with ``store_history=False``
(``autograder.run.execute``). This kernel runs ``autograder.run.hidden_cells.before()`` and ``after()``
around such a request itself, in the same request: no silent request before and after the cell (two round
trips of the kernel's messages, about as long as a short cell), and ``after`` runs even when the cell
raised. It says so in its ``kernel_info`` reply (``hidden_cells.KERNEL_INFO_KEY``); with any other kernel the
grader sends ``before`` and ``after`` as silent requests of their own, as it did before.

Started by ``autograder.run.kernel_launcher`` (``bwrap``) and ``autograder.run.zygote`` (``template``). It
trusts nothing more than those requests did: a student's code runs in this process and can undo any of
this (``autograder.run.hidden_cells`` says what the hygiene is and is not).
"""

from ipykernel.ipkernel import IPythonKernel

from autograder.run import hidden_cells


class GradingKernel(IPythonKernel):
    """``IPythonKernel`` that wraps a hidden test cell's request in ``hidden_cells.before`` / ``after``."""

    @property
    def kernel_info(self):
        return {**super().kernel_info, hidden_cells.KERNEL_INFO_KEY: 1}

    async def do_execute(self, code, silent, store_history=True, *args, **kwargs):
        """ipykernel's ``do_execute`` (``user_expressions``, ``allow_stdin``, ``cell_meta``, ``cell_id``
        passed on as given), between ``before`` and ``after`` for a hidden cell's request."""
        hidden = not silent and not store_history
        if hidden:
            _quietly(hidden_cells.before)
        try:
            return await super().do_execute(code, silent, store_history, *args, **kwargs)
        finally:
            if hidden:
                _quietly(hidden_cells.after)


def _quietly(step) -> None:
    """A step that fails (a kernel whose student broke IPython's internals) is ignored, as a silent request's
    failure was: the cell itself still runs unstored."""
    try:
        step()
    except Exception:
        pass
