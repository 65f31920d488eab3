"""A minimal PyTorch training loop with a progress bar, and the evaluation helpers around it.

Introduced in 02_mlp_xor; later topics reuse it so that each notebook shows only what is new.
"""

import numpy as np
from tqdm.auto import tqdm


def progress(iterable, desc: str = "", total: int | None = None, **kwargs):
    """A tqdm progress bar (a widget in JupyterLab, text elsewhere) that leaves no bar behind."""
    return tqdm(iterable, desc=desc, total=total, leave=False, **kwargs)


def batches(n: int, batch_size: int, rng: np.random.Generator | None = None):
    """Index arrays that cover ``range(n)`` in chunks of ``batch_size``, shuffled when ``rng`` is given."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


def fit(model, X, y, loss_fn, optimizer, num_epochs: int, batch_size: int = 64, X_val=None, y_val=None,
        scheduler=None, seed: int = 0, desc: str = "training") -> dict[str, list[float]]:
    """Train ``model`` with minibatches of the tensors ``X (N, ...)``, ``y (N, ...)``.

    ``scheduler`` (optional) is stepped after every batch. Returns a history dict with ``train loss``
    per epoch and, when validation data is given, ``val accuracy`` per epoch (for classifiers).
    """
    import torch

    generator = np.random.default_rng(seed)
    history = {"train loss": []}
    if X_val is not None:
        history["val accuracy"] = []
    for _ in progress(range(num_epochs), desc=desc):
        model.train()
        total, count = 0.0, 0
        for idx in batches(len(X), batch_size, generator):
            index = torch.as_tensor(idx)
            optimizer.zero_grad()
            loss = loss_fn(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += loss.item() * len(idx)
            count += len(idx)
        history["train loss"].append(total / count)
        if X_val is not None:
            history["val accuracy"].append(accuracy(model, X_val, y_val))
    return history


def accuracy(model, X, y) -> float:
    """Fraction of rows of ``X`` whose arg-max class under ``model`` (in eval mode) equals ``y``."""
    import torch

    was_training = model.training
    model.eval()
    with torch.no_grad():
        predicted = model(X).argmax(dim=1)
    model.train(was_training)
    return (predicted == y).float().mean().item()
