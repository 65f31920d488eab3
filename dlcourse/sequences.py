"""Generated sequence tasks for recurrent networks (nothing is downloaded).

Introduced in 06_rnn_lstm (lecture and assignment): the *adding problem* of Hochreiter & Schmidhuber
(1997), in the form used by Le et al. (2015) and Arjovsky et al. (2016). Shapes are (batch, time,
features) throughout.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["adding_problem", "ADDING_BASELINE_MSE", "ADDING_ONE_NUMBER_MSE", "SeedRuns", "seed_streams",
           "train_adding_seeds"]

# Always answering 1 (the mean of the target) leaves the target's variance: Var(U1 + U2) = 2/12.
ADDING_BASELINE_MSE = 1 / 6
# Remembering one marked number exactly and guessing the other's mean (0.5) leaves Var(U) = 1/12.
ADDING_ONE_NUMBER_MSE = 1 / 12


def adding_problem(n: int, T: int, rng: np.random.Generator | int | None = 0,
                   dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of the adding problem of length ``T`` (``T >= 2``).

    Every time step carries two features: a value drawn uniformly from [0, 1) and a marker in {0, 1}.
    Exactly two steps per sequence are marked, one in the first half (``t < T // 2``) and one in the
    second half; the target is the sum of the two marked values, in [0, 2).

    ``rng`` is a ``numpy.random.Generator`` to draw from, or a seed. Returns ``X`` of shape (n, T, 2)
    and ``y`` of shape (n,), both of ``dtype``.
    """
    if T < 2:
        raise ValueError(f"the adding problem needs T >= 2 steps, got T = {T}")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    half = T // 2
    values = rng.random((n, T))
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1).astype(dtype)
    y = (values[rows, first] + values[rows, second]).astype(dtype)
    return X, y


def seed_streams(seed: int, T: int) -> list[np.random.Generator]:
    """Three independent generators for one experiment (seed, length T): training batches, validation
    set, test set. Used by 06_rnn_lstm's ``train_on`` and by ``train_adding_seeds``."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence([seed, T]).spawn(3)]


@dataclass
class SeedRuns:
    """Results of ``train_adding_seeds``: one entry per seed, in the order of ``seeds``."""

    cell: str
    T: int
    seeds: list[int]
    test_mse: np.ndarray  # (num_seeds,): test MSE of each seed's chosen checkpoint
    val_mse: np.ndarray  # (num_evaluations, num_seeds): validation MSE at every evaluation
    steps: np.ndarray  # (num_evaluations,): the training step of every evaluation
    grad_norm: np.ndarray  # (num_steps, num_seeds): each seed's global gradient norm before clipping


def train_adding_seeds(cell: str, T: int, seeds: list[int], num_hiddens: int = 32, max_steps: int = 1200,
                       batch_size: int = 32, lr: float = 0.01, max_norm: float = 1.0, tol: float = 0.005,
                       every: int = 50, num_val: int = 256, num_test: int = 1000) -> SeedRuns:
    """Train one recurrent regressor per seed on the adding problem of length ``T``, all seeds at once as
    one batched computation: ``cell`` is ``"rnn"`` (a tanh ``nn.RNN(2, num_hiddens)``) or ``"lstm"``
    (``nn.LSTM(2, num_hiddens)``), each with a linear read-out of the last hidden state.

    The recipe of 06_rnn_lstm's shared budget, per seed: initial weights as PyTorch draws them after
    ``torch.manual_seed(seed)`` for the recurrent layer then ``nn.Linear``; fresh training batches, a
    validation set of ``num_val`` and a test set of ``num_test`` sequences from ``seed_streams(seed, T)``;
    Adam (each seed's parameters are separate entries of the stacked tensors, and Adam works entry by
    entry); the gradient clipped to global norm ``max_norm`` per seed, as ``clip_grad_norm_`` would; the
    validation MSE every ``every`` steps, each seed keeping its best checkpoint; training ends when every
    seed's best is below ``tol`` or after ``max_steps``. Each chosen checkpoint is scored once on its test
    set.
    """
    import torch

    if cell not in ("rnn", "lstm"):
        raise ValueError(f"cell must be 'rnn' or 'lstm', got {cell!r}")
    K, H = len(seeds), num_hiddens
    initial = []
    for seed in seeds:
        torch.manual_seed(seed)
        layer = (torch.nn.RNN if cell == "rnn" else torch.nn.LSTM)(2, H, batch_first=True)
        head = torch.nn.Linear(H, 1)
        initial.append([layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0,
                        head.weight[0], head.bias])
    params = [torch.stack([p[i].detach() for p in initial]).requires_grad_() for i in range(6)]
    streams = [seed_streams(seed, T) for seed in seeds]

    def data(n, which):
        arrays = [adding_problem(n, T, rng=s[which]) for s in streams]
        return (torch.from_numpy(np.stack([a[0] for a in arrays])),  # (K, n, T, 2)
                torch.from_numpy(np.stack([a[1] for a in arrays])))  # (K, n)

    def predict(weights, X):
        W_ih, W_hh, b_ih, b_hh, w_out, b_out = weights
        inputs = (torch.einsum("kntd,khd->tknh", X, W_ih) + (b_ih + b_hh)[:, None]).unbind(0)  # T x (K, n, .)
        W_hh_T = W_hh.transpose(1, 2)
        h = torch.zeros(X.shape[0], X.shape[1], H)
        c = torch.zeros_like(h)
        for step_input in inputs:
            z = torch.baddbmm(step_input, h, W_hh_T)
            if cell == "rnn":
                h = torch.tanh(z)
            else:
                i, f, g, o = z.chunk(4, dim=-1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
        return (h * w_out[:, None]).sum(-1) + b_out  # (K, n)

    def mse(weights, X, y):
        with torch.no_grad():
            return (predict(weights, X) - y).pow(2).mean(dim=1).numpy()

    X_val, y_val = data(num_val, 1)
    optimizer = torch.optim.Adam(params, lr=lr)
    best_mse, best = np.full(K, np.inf), [p.detach().clone() for p in params]
    val_history, steps, grad_norms = [], [], []
    for step in range(1, max_steps + 1):
        X, y = data(batch_size, 0)
        loss = (predict(params, X) - y).pow(2).mean(dim=1).sum()  # each seed's gradient is its own MSE's
        optimizer.zero_grad()
        loss.backward()
        norms = torch.sqrt(sum(p.grad.pow(2).flatten(1).sum(1) for p in params))  # (K,) per seed
        grad_norms.append(norms.numpy().copy())
        factor = (max_norm / (norms + 1e-6)).clamp(max=1.0)
        for p in params:
            p.grad.mul_(factor.view(-1, *[1] * (p.dim() - 1)))
        optimizer.step()
        if step % every == 0:
            val = mse(params, X_val, y_val)
            val_history.append(val)
            steps.append(step)
            better = val < best_mse
            best_mse = np.where(better, val, best_mse)
            for kept, p in zip(best, params, strict=True):
                kept[torch.from_numpy(better)] = p.detach()[torch.from_numpy(better)]
            if np.all(best_mse < tol):
                break
    X_test, y_test = data(num_test, 2)
    return SeedRuns(cell, T, list(seeds), mse(best, X_test, y_test), np.array(val_history), np.array(steps),
                    np.array(grad_norms))
