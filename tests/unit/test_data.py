"""Data helpers: the bundled digits, generated sets, and the checksum-verifying MNIST reader (tested on
small IDX files made here; the real files are never downloaded)."""

import gzip
import struct

import numpy as np
import pytest

from dlcourse import data


def write_idx(path, array):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_digits_split():
    X_train, X_test, y_train, y_test = data.digits()
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    assert 0 <= X_train.min() and X_train.max() <= 1 and set(np.unique(y_test)) == set(range(10))


def test_three_way_split_is_disjoint_stratified_and_keeps_the_test_set():
    split = data.digits_split()
    assert split.sizes() == (1149, 288, 360)
    _, X_test_two_way, _, _ = data.digits()
    assert np.array_equal(split.X_test, X_test_two_way)  # same held-out images as the two-way split
    rows = [tuple(row) for part in (split.X_train, split.X_val, split.X_test) for row in part]
    assert len(rows) == 1797
    for part in (split.y_train, split.y_val, split.y_test):  # every class in every part, near 10 % each
        counts = np.bincount(part, minlength=10) / len(part)
        assert counts.min() > 0.08 and counts.max() < 0.12


def test_split_of_generated_data_without_stratification():
    X, y = np.arange(200.0).reshape(100, 2), np.arange(100.0)
    split = data.train_val_test_split(X, y, val_size=0.25, test_size=0.2, seed=1, stratify=False)
    assert split.sizes() == (60, 20, 20)
    together = np.sort(np.concatenate([split.y_train, split.y_val, split.y_test]))
    assert np.array_equal(together, y)  # a partition: nothing lost, nothing repeated
    assert np.array_equal(split.X_val[:, 0] / 2, split.y_val)  # rows stay with their labels


def test_linearly_separable_has_its_margin():
    X, y = data.linearly_separable(200, margin=0.4, seed=3)
    assert X.shape == (200, 2) and set(np.unique(y)) == {-1, 1}


def test_mnist_reader_verifies_checksums(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {"train-images-idx3-ubyte.gz": rng.integers(0, 255, (5, 28, 28)),
              "train-labels-idx1-ubyte.gz": rng.integers(0, 10, 5),
              "t10k-images-idx3-ubyte.gz": rng.integers(0, 255, (3, 28, 28)),
              "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 3)}
    for name, array in arrays.items():
        write_idx(tmp_path / name, array)
    sums = {name: data.file_digest(tmp_path / name, "md5") for name in arrays}
    X_train, y_train, X_test, y_test = data.mnist(tmp_path, checksums=sums)
    assert X_train.shape == (5, 28, 28) and np.array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    with pytest.raises(data.ChecksumError, match="MD5"):
        data.mnist(tmp_path)  # the made-up files are not the published ones
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="never downloads"):
        data.mnist(tmp_path, checksums=sums)


def test_truncated_idx_is_rejected(tmp_path):
    path = tmp_path / "bad.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(struct.pack(">HBBI", 0, 8, 1, 10) + b"abc")
    with pytest.raises(ValueError, match="promises"):
        data.read_idx(path)


def test_mnist1d_is_built_locally_with_the_papers_split():
    split = data.mnist1d()
    assert split.sizes() == (3000, 1000, 1000)
    assert split.X_train.shape[1] == 40 and set(np.unique(split.y_test)) == set(range(10))
    shuffled = data.mnist1d(shuffle_positions=True)
    # the same signals with their positions permuted by one fixed permutation
    assert np.allclose(np.sort(shuffled.X_test, axis=1), np.sort(split.X_test, axis=1))
    assert not np.allclose(shuffled.X_test, split.X_test)
    state = np.random.get_state()[1].copy()
    data.mnist1d()
    assert np.array_equal(np.random.get_state()[1], state), "the global numpy generator must be left alone"
