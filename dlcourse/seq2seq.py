"""A generated sequence-to-sequence task (reversing a string of digits) with its training loop, greedy
decoder, exact-match accuracy and attention heat map.

Introduced in 07_attention (lecture and assignment). A model for this task is any ``torch.nn.Module``
called as ``model(src, tgt_in)`` with ``src`` of shape (batch, S) and ``tgt_in`` of shape (batch, T),
both integer tokens, returning logits of shape (batch, T, NUM_DIGITS) for the next output digit at
every decoder step (teacher forcing). The encoder-decoder itself is the lesson and lives in the notebooks.
"""

import numpy as np

from dlcourse.training import progress

NUM_DIGITS = 10  # tokens 0..9 are the digits themselves
BOS = 10  # "begin of sequence": the decoder's first input
VOCAB_SIZE = 11  # input tokens: ten digits and BOS


def reversal_batch(batch_size: int, length: int, rng: np.random.Generator):
    """``batch_size`` random digit strings of ``length`` digits and their reversals.

    Returns three int64 tensors of shape (batch_size, length): ``src`` (the digits), ``tgt_out`` (the
    digits reversed: what the decoder must emit) and ``tgt_in`` (``tgt_out`` shifted right by one step
    behind BOS: what the decoder reads under teacher forcing), in the order ``src, tgt_in, tgt_out``.
    """
    import torch

    src = rng.integers(0, NUM_DIGITS, size=(batch_size, length))
    tgt_out = src[:, ::-1].copy()
    tgt_in = np.concatenate([np.full((batch_size, 1), BOS), tgt_out[:, :-1]], axis=1)
    return tuple(torch.as_tensor(a, dtype=torch.int64) for a in (src, tgt_in, tgt_out))


def model_device(model):
    """The device of ``model``'s parameters (the CPU for a model without any): batches are moved there, so
    the functions below work for a model placed with ``.to(dlcourse.device())``."""
    import torch

    return next(model.parameters(), torch.empty(0)).device


VALIDATION_SEED = 2  # validation strings: np.random.default_rng([2, length]); training uses seed 0, tests 1


def validation_loss(model, max_length: int, min_length: int = 1, n: int = 32,
                    seed: int = VALIDATION_SEED) -> float:
    """Teacher-forced cross-entropy of the next digit on ``n`` fixed validation strings of every length
    ``min_length..max_length``, averaged over the lengths (one forward pass per length, no decoding).
    The strings come from ``seed``, a stream of their own: neither the training nor the test strings."""
    import torch
    import torch.nn.functional as F

    was_training = model.training
    model.eval()
    total = 0.0
    with torch.no_grad():
        for length in range(min_length, max_length + 1):
            batch = reversal_batch(n, length, np.random.default_rng([seed, length]))
            src, tgt_in, tgt_out = (t.to(model_device(model)) for t in batch)
            logits = model(src, tgt_in)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1)).item()
    model.train(was_training)
    return total / (max_length - min_length + 1)


def train(model, num_steps: int, max_length: int, min_length: int = 1, batch_size: int = 64,
          lr: float = 5e-3, seed: int = 0, desc: str = "training", val_every: int = 0,
          val_history: list | None = None) -> list[float]:
    """Train ``model`` on reversal with teacher forcing for ``num_steps`` Adam steps.

    Every step draws one length uniformly from ``min_length..max_length`` and a batch of that length
    (so no padding is needed), minimises the cross-entropy of the next digit, clips the gradient norm
    at 1 and follows a one-cycle learning-rate schedule peaking at ``lr``. Returns the loss of every step.

    With ``val_every > 0`` the model is scored by ``validation_loss`` every ``val_every`` steps and after
    the last one, and ends with the weights of the checkpoint whose validation loss was lowest (model
    selection on validation; the test strings are never looked at). ``val_history``, if given, receives
    the pairs ``(step, validation loss)``.
    """
    import copy

    import torch
    import torch.nn.functional as F

    best_loss, best_state = float("inf"), None

    def checkpoint(step):
        nonlocal best_loss, best_state
        loss = validation_loss(model, max_length, min_length)
        if val_history is not None:
            val_history.append((step, loss))
        if loss < best_loss:
            best_loss, best_state = loss, copy.deepcopy(model.state_dict())

    rng = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=num_steps, pct_start=0.1)
    losses = []
    model.train()
    for step in progress(range(num_steps), desc=desc):
        length = int(rng.integers(min_length, max_length + 1))
        src, tgt_in, tgt_out = (t.to(model_device(model)) for t in reversal_batch(batch_size, length, rng))
        logits = model(src, tgt_in)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        if val_every and (step + 1) % val_every == 0 and step + 1 < num_steps:
            checkpoint(step + 1)
    if val_every:
        checkpoint(num_steps)
        model.load_state_dict(best_state)
    model.eval()
    return losses


def greedy_decode(model, src, num_steps: int | None = None):
    """Decode ``src`` (batch, S) greedily: feed BOS, then each arg-max digit back in, ``num_steps``
    times (default S). Returns the int64 tensor of emitted digits, shape (batch, num_steps).

    The model is re-run on the whole prefix at every step, which needs nothing but ``model(src,
    tgt_in)`` and is exact for decoders that cannot look ahead (recurrent or causally masked).
    """
    import torch

    num_steps = src.shape[1] if num_steps is None else num_steps
    src = src.to(model_device(model))
    prefix = torch.full((src.shape[0], 1), BOS, dtype=torch.int64, device=src.device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for _ in range(num_steps):
            next_digit = model(src, prefix)[:, -1].argmax(dim=-1, keepdim=True)
            prefix = torch.cat([prefix, next_digit], dim=1)
    model.train(was_training)
    return prefix[:, 1:]


def exact_match(model, length: int, n: int = 200, seed: int = 1) -> float:
    """Fraction of ``n`` fresh strings of ``length`` digits that ``model`` reverses without a single
    wrong digit under greedy decoding (the strings come from ``seed``, not the training stream)."""
    src, _, tgt_out = reversal_batch(n, length, np.random.default_rng([seed, length]))
    return (greedy_decode(model, src).cpu() == tgt_out).all(dim=1).float().mean().item()


def accuracy_by_length(model, lengths, n: int = 200, seed: int = 1) -> np.ndarray:
    """``exact_match`` at every length in ``lengths``: an array of shape (len(lengths),)."""
    return np.array([exact_match(model, int(length), n=n, seed=seed) for length in lengths])


def show_attention(weights, src, out, ax=None, title: str = ""):
    """Heat map of attention ``weights`` (T, S): row t is how output step t spreads its attention over
    the S input positions; ``src`` (S,) and ``out`` (T,) label the axes with their digits."""
    import matplotlib.pyplot as plt

    weights = np.asarray(weights.detach() if hasattr(weights, "detach") else weights)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.3 * weights.shape[1] + 1.5, 0.3 * weights.shape[0] + 1))
    image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(len(src)), [str(int(d)) for d in src])
    ax.set_yticks(range(len(out)), [str(int(d)) for d in out])
    ax.set_xlabel("input digit (encoder position)")
    ax.set_ylabel("output digit (decoder step)")
    ax.grid(False)
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax
