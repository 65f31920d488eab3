"""Data sets of the course. Nothing is downloaded at run time: scikit-learn's bundled digits, small
generated problems, and a checksum-verifying reader for MNIST files an instructor has placed on disk.
"""

import gzip
import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points: ``X`` of shape (4, 2) and labels ``y`` of shape (4,) in {0, 1}."""
    return XOR_X.copy(), XOR_Y.copy()


def linearly_separable(n: int = 100, margin: float = 0.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in 2-D split by a random line with a gap of ``margin``; labels in {-1, +1}.

    Returns ``X`` of shape (n, 2) and ``y`` of shape (n,).
    """
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    offset = rng.uniform(-0.5, 0.5)
    X = np.empty((0, 2))
    while len(X) < n:
        candidates = rng.uniform(-3, 3, size=(4 * n, 2))
        distance = candidates @ normal + offset
        X = np.vstack([X, candidates[np.abs(distance) >= margin / 2]])
    X = X[:n]
    y = np.where(X @ normal + offset > 0, 1, -1)
    return X, y


def digits(test_size: float = 0.2, seed: int = 0, dtype=np.float32):
    """scikit-learn's 8x8 digits (1797 images), pixels scaled to [0, 1], split with stratification.

    Returns ``X_train (N, 64), X_test (M, 64), y_train (N,), y_test (M,)``; with the defaults N = 1437,
    M = 360. Reshape rows to (8, 8) for images.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    X = (bunch.data / 16.0).astype(dtype)
    y = bunch.target.astype(np.int64)
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)


@dataclass(frozen=True)
class Split:
    """A data set cut three ways, each part as ``X`` (rows are examples) and ``y`` (one label per row).

    Train on ``train``; choose every model, epoch and hyperparameter by its score on ``val``; score the
    chosen model on ``test`` once, at the end (a test score looked at while choosing is no longer an
    estimate of how the model does on new data).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def sizes(self) -> tuple[int, int, int]:
        """Numbers of examples in train, validation and test."""
        return len(self.y_train), len(self.y_val), len(self.y_test)


def train_val_test_split(X: np.ndarray, y: np.ndarray, val_size: float = 0.2, test_size: float = 0.2,
                         seed: int = 0, stratify: bool = True) -> Split:
    """Cut ``X`` (N, ...) and ``y`` (N,) into train / validation / test.

    ``test_size`` is a fraction of all N examples; ``val_size`` a fraction of what the test set leaves.
    With ``stratify`` every part keeps the label proportions (classification labels only).
    """
    from sklearn.model_selection import train_test_split

    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=test_size, random_state=seed,
                                                      stratify=y if stratify else None)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=val_size, random_state=seed,
                                                      stratify=y_rest if stratify else None)
    return Split(X_train, y_train, X_val, y_val, X_test, y_test)


def digits_split(val_size: float = 0.2, test_size: float = 0.2, seed: int = 0, dtype=np.float32) -> Split:
    """scikit-learn's digits as train / validation / test, pixels scaled to [0, 1].

    With the defaults: 1149 training, 288 validation and 360 test images, each row of 64 pixels (reshape
    to (8, 8) for images). The test set is the same 360 images that ``digits()`` holds out.
    """
    from sklearn.datasets import load_digits

    bunch = load_digits()
    X = (bunch.data / 16.0).astype(dtype)
    y = bunch.target.astype(np.int64)
    return train_val_test_split(X, y, val_size=val_size, test_size=test_size, seed=seed)


class ChecksumError(ValueError):
    """A data file's digest differs from the one it was published with."""


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """Hex digest (``sha256``, ``md5``, ...) of a file, read in 1 MiB blocks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Published MD5 digests of the four original MNIST files (gzip-compressed IDX), as torchvision checks them.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}


def read_idx(path: Path, expected_md5: str | None = None) -> np.ndarray:
    """Read a (gzip-compressed) IDX file as a uint8 array, verifying its MD5 first when given."""
    path = Path(path)
    if expected_md5 is not None:
        actual = file_digest(path, "md5")
        if actual != expected_md5:
            raise ChecksumError(f"{path.name}: MD5 {actual} differs from the published {expected_md5}; "
                                "the file is corrupt or not the original")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        raw = handle.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path.name}: not an IDX file of unsigned bytes")
    shape = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path.name}: header promises shape {shape} but holds {data.size} bytes")
    return data.reshape(shape)


def mnist(folder: Path, checksums: dict[str, str] | None = None):
    """MNIST from the four gzip IDX files in ``folder`` (no download: place them there yourself).

    Every file's MD5 is checked against ``checksums`` (default: the published ``MNIST_MD5``).
    Returns ``X_train (60000, 28, 28) uint8, y_train (60000,), X_test (10000, 28, 28), y_test (10000,)``.
    """
    checksums = MNIST_MD5 if checksums is None else checksums
    folder = Path(folder)
    names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    missing = [name for name in names if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"MNIST files missing from {folder}: {', '.join(missing)} "
                                "(this course never downloads at run time; copy them there)")
    return tuple(read_idx(folder / name, checksums[name]) for name in names)
