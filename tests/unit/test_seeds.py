"""dlcourse.seeds: one run per seed, each the run training.fit would give alone."""

import numpy as np
import torch
from torch import nn

from dlcourse import seeds, training


def test_each_copy_is_the_run_fit_gives_alone():
    generator = torch.Generator().manual_seed(0)
    X, y = torch.randn(90, 5, generator=generator), torch.randint(0, 3, (90,), generator=generator)
    runs = seeds.fit_seeds(lambda: nn.Linear(5, 3), [4, 9], X, y, 3, 0.05, batch_size=32, X_val=X[:30], y_val=y[:30])
    torch.manual_seed(9)
    alone = nn.Linear(5, 3)
    history = training.fit(alone, X, y, nn.CrossEntropyLoss(), torch.optim.Adam(alone.parameters(), lr=0.05), 3,
                           32, X_val=X[:30], y_val=y[:30], seed=9)
    assert runs.train_loss.shape == (3, 2) and runs.val_accuracy.shape == (3, 2)
    np.testing.assert_allclose(runs.train_loss[:, 1], history["train loss"], rtol=1e-6)
    assert torch.allclose(runs.models[1].weight, alone.weight)
    assert runs.accuracy(X, y).shape == (2,)
