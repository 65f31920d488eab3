"""Hopfield network helpers derived in lecture 10 (section 9): Hebbian storage, the energy, asynchronous
recall and random corruption. Assignment 09 stores patterns with another rule and measures its capacity
with them.

Shapes: a pattern or state is a row of N entries in {-1, +1}; ``patterns`` and states ``S`` are
``(P, N)`` / ``(trials, N)``; weights ``W`` are ``(N, N)``, symmetric with a zero diagonal.
Sign convention of the course: a score of exactly zero is negative, so a unit whose input is 0 becomes -1.
"""

import numpy as np


def sign(h: np.ndarray) -> np.ndarray:
    """+1 where h > 0, -1 elsewhere (a score of exactly 0 is negative, as everywhere in the course)."""
    return np.where(h > 0, 1.0, -1.0)


def hebbian_weights(patterns: np.ndarray) -> np.ndarray:
    """Hopfield weights (N, N) from patterns (P, N) in {-1, +1}: W = (1/N) sum_mu p p^T, zero diagonal."""
    W = patterns.T @ patterns / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def energy(W: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Energy -1/2 s^T W s of every row of S (trials, N); returns (trials,)."""
    return -0.5 * ((S @ W) * S).sum(axis=1)


def recall(W: np.ndarray, S0: np.ndarray, order_rng: np.random.Generator, max_sweeps: int = 30,
           track_energy: bool = False):
    """Asynchronous updates of all rows of S0 (trials, N), one unit at a time in a random order per sweep,
    until a sweep changes nothing. Returns the final states (trials, N), the number of sweeps, and (if asked)
    the energy of every row after every single-unit update, shape (updates + 1, trials)."""
    S = S0.copy()
    energies = [energy(W, S)] if track_energy else None
    sweep = 0
    while sweep < max_sweeps:
        sweep += 1
        changed = False
        for i in order_rng.permutation(S.shape[1]):
            new = sign(S @ W[i])
            changed = changed or bool((new != S[:, i]).any())
            S[:, i] = new
            if track_energy:
                energies.append(energy(W, S))
        if not changed:
            break
    return S, sweep, (np.array(energies) if track_energy else None)


def flip(patterns: np.ndarray, fraction: float, flip_rng: np.random.Generator) -> np.ndarray:
    """Copies of the patterns (P, N) with each entry's sign flipped with probability ``fraction``."""
    return patterns * np.where(flip_rng.random(patterns.shape) < fraction, -1.0, 1.0)
