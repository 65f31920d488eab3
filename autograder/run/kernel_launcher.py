"""A grading kernel's entry point: ipykernel's own launcher, after importing the modules the assignment's
given code imports (``AUTOGRADER_PRELOAD``, comma-separated), so that a kernel started ahead of its
submission (``autograder.run.kernels``) has them ready.

Preloading puts modules in ``sys.modules`` only, never a name in the notebook's namespace: a notebook that
forgets ``import numpy as np`` still fails as it would in nbgrader. It happens before any student file
exists in the kernel's folder, so a student's ``numpy.py`` cannot stand in for numpy. A module that fails
to import is skipped (the notebook's own import then fails or succeeds as usual). Importing stops at the
first module that leaves a thread running: a template (``autograder.run.zygote``) forks its kernels after
these imports, and a forked child has none of its parent's threads but may hold the locks they held.
"""

import importlib
import os
import sys
import threading


def preload() -> None:
    """Drop the working folder from ``sys.path``, set the inline plotting backend and import the modules
    ``AUTOGRADER_PRELOAD`` names (also what a template imports once before forking kernels)."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher: nothing is imported from the working folder at start-up
    # ipykernel's default backend, set here because matplotlib reads it when imported (ipykernel sets it
    # later, only when unset)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in filter(None, os.environ.pop("AUTOGRADER_PRELOAD", "").split(",")):
        if threading.active_count() > 1:  # an earlier module started a thread: import nothing more
            break
        try:
            importlib.import_module(name)
        except Exception:
            pass


if __name__ == "__main__":
    preload()
    from ipykernel import kernelapp

    from autograder.run.grading_kernel import GradingKernel

    kernelapp.launch_new_instance(kernel_class=GradingKernel)
