"""Helpers every notebook of the course shares: seeding, threads, data, plots, training loops.

Each notebook starts with ``rng = dlcourse.setup()``. Topic code that *is* the lesson (a perceptron, a
convolution, an LSTM cell, a SOM) lives in the notebook itself, never here.
"""

import os

# Pin math libraries to one thread before numpy or torch load them (measured on 2 shared cores: two
# threads per process were up to 25x slower under load). A user who exports OMP_NUM_THREADS keeps it.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import random  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

__all__ = ["setup", "device", "num_threads", "grading"]


def num_threads() -> int:
    """Threads a process may use: OMP_NUM_THREADS if the user set it, else 1."""
    return max(1, int(os.environ.get("OMP_NUM_THREADS", "1")))


def grading() -> bool:
    """True while nbgrader (validate or autograde) or this course's grader runs the notebook.

    Notebooks use it to shorten long training runs so that grading stays within seconds per cell.
    """
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def setup(seed: int = 0) -> np.random.Generator:
    """Seed Python, numpy and torch, limit every library to ``num_threads()``, set plot defaults.

    Import torch *before* calling ``setup`` when the notebook uses it: torch is seeded only when it is
    already loaded, so numpy-only notebooks do not pay ~1 s for importing it.
    Returns a ``numpy.random.Generator`` seeded with ``seed`` for the notebook to draw from.
    """
    from threadpoolctl import threadpool_limits

    threads = num_threads()
    threadpool_limits(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)
        torch.set_num_threads(threads)
    from dlcourse import plotting

    plotting.set_style()
    return np.random.default_rng(seed)


def device():
    """The torch device to train on: a GPU when one is present, else the CPU."""
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
