"""``dlcourse.hopfield`` (lecture 10's Hopfield helpers, used by assignment 10): the course's sign rule, Hebbian
storage, the energy that asynchronous recall never increases, and corruption at the requested rate."""

import numpy as np

from dlcourse import hopfield


def test_sign_of_zero_is_negative():
    np.testing.assert_array_equal(hopfield.sign(np.array([-2.0, 0.0, 3.0])), [-1.0, -1.0, 1.0])


def test_hebbian_weights_symmetric_zero_diagonal_and_one_pattern_stable():
    p = np.array([[1.0, -1.0, 1.0, 1.0]])
    W = hopfield.hebbian_weights(p)
    np.testing.assert_allclose(W, W.T)
    np.testing.assert_allclose(np.diag(W), 0.0)
    np.testing.assert_array_equal(hopfield.sign(p @ W), p)


def test_recall_never_increases_energy_and_ties_go_negative():
    g = np.random.default_rng(0)
    patterns = g.choice([-1.0, 1.0], size=(5, 40))
    W = hopfield.hebbian_weights(patterns)
    _, _, energies = hopfield.recall(W, hopfield.flip(patterns, 0.2, g), g, track_energy=True)
    assert np.all(np.diff(energies, axis=0) <= 1e-12)
    final, sweeps, _ = hopfield.recall(np.zeros((3, 3)), np.ones((2, 3)), g)  # every field is exactly 0
    np.testing.assert_array_equal(final, -np.ones((2, 3)))
    assert sweeps == 2  # one sweep flips every unit, the next changes nothing


def test_flip_rate():
    g = np.random.default_rng(1)
    flipped = hopfield.flip(np.ones((200, 500)), 0.1, g)
    # 100 000 entries: standard deviation of the rate sqrt(0.09 / 1e5) = 0.00095; tolerance 5 sd
    assert abs(np.mean(flipped == -1) - 0.1) < 0.005
