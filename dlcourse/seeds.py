"""Train one copy of a small classifier per seed, for comparisons over five or more seeds
(``dlcourse.stats``). Introduced in 05_cnn.

Copy ``s`` starts from the weights ``make_model()`` draws after ``torch.manual_seed(seeds[s])`` and is
trained by ``dlcourse.training.fit(..., seed=seeds[s])``, which fixes the order of its minibatches. (For
models this small a loop over seeds was measured faster on one CPU thread than ``torch.func.vmap``.)
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dlcourse import training

__all__ = ["SeedRuns", "fit_seeds", "accuracies"]


@dataclass
class SeedRuns:
    """The trained copies and their histories: arrays of shape (epochs, seeds)."""

    models: list
    train_loss: np.ndarray
    val_accuracy: np.ndarray | None

    def accuracy(self, X, y) -> np.ndarray:
        """Accuracy of every copy on ``X (N, ...)``, ``y (N,)``: an array of shape (seeds,)."""
        return accuracies(self.models, X, y)


def accuracies(models, X, y) -> np.ndarray:
    """Accuracy of each model on ``X``, ``y``: an array of shape (len(models),)."""
    return np.array([training.accuracy(model, X, y) for model in models])


def fit_seeds(make_model: Callable, seeds: Sequence[int], X, y, num_epochs: int, lr: float, batch_size: int = 64,
              X_val=None, y_val=None, one_cycle: bool = False, device=None, desc: str = "seeds") -> SeedRuns:
    """Train ``make_model()`` once per seed with Adam (learning rate ``lr``, optionally a one-cycle
    schedule stepped every batch) and the cross-entropy loss on ``X (N, ...)``, ``y (N,)``.

    Returns a ``SeedRuns`` whose ``train_loss`` (epochs, seeds) is each epoch's mean minibatch loss and,
    when ``X_val``, ``y_val`` are given, ``val_accuracy`` (epochs, seeds) after each epoch."""
    import torch
    from torch import nn

    models = []
    for seed in seeds:
        torch.manual_seed(seed)
        models.append(make_model().to(device) if device is not None else make_model())
    steps = num_epochs * -(-len(X) // batch_size)

    def schedule(optimizer):
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps) if one_cycle else None

    histories = []
    for model, seed in zip(models, seeds):
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        histories.append(training.fit(model, X, y, nn.CrossEntropyLoss(), optimizer, num_epochs, batch_size,
                                      X_val=X_val, y_val=y_val, scheduler=schedule(optimizer), seed=seed,
                                      desc=f"{desc}, seed {seed}"))
    val = np.array([h["val accuracy"] for h in histories]).T if X_val is not None else None
    return SeedRuns(models, np.array([h["train loss"] for h in histories]).T, val)
