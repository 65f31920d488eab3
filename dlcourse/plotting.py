"""Plots the course draws again and again: decision boundaries, loss curves, image grids."""

import matplotlib.pyplot as plt
import numpy as np


def set_style() -> None:
    """Readable defaults for every notebook's figures."""
    plt.rcParams.update({"figure.figsize": (6, 4), "figure.dpi": 90, "axes.grid": True,
                         "grid.alpha": 0.3, "image.cmap": "viridis"})


def decision_boundary(predict, X: np.ndarray, y: np.ndarray, ax=None, title: str = "", resolution: int = 200):
    """Shade the plane by ``predict`` (a function from (n, 2) points to n labels or scores) and
    scatter the points ``X (n, 2)`` coloured by their labels ``y (n,)``. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    pad = 0.5
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    z = np.asarray(predict(grid), dtype=float).reshape(gx.shape)
    ax.contourf(gx, gy, z, levels=20, cmap="RdBu", alpha=0.35)
    ax.contour(gx, gy, z, levels=[np.median([z.min(), z.max()])], colors="k", linewidths=1)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolors="k", s=30)
    ax.set_title(title)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def curves(history: dict[str, list[float]], ax=None, logy: bool = False, xlabel: str = "epoch", title: str = ""):
    """Plot each named series of ``history`` (e.g. {"train loss": [...], "test loss": [...]})."""
    if ax is None:
        _, ax = plt.subplots()
    for name, values in history.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend()
    return ax


def image_grid(images: np.ndarray, ncols: int = 8, titles=None, cmap: str = "gray", size: float = 1.2,
               symmetric: bool = False):
    """Show ``images`` of shape (n, h, w) in a grid; ``symmetric`` centres the colour scale on 0
    (for filters and weights). Returns the figure."""
    images = np.asarray(images)
    n = len(images)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        kwargs = {}
        if symmetric:
            limit = np.abs(images[i]).max() or 1.0
            kwargs = {"vmin": -limit, "vmax": limit}
        ax.imshow(images[i], cmap=cmap, **kwargs)
        if titles is not None:
            ax.set_title(str(titles[i]), fontsize=8)
    fig.tight_layout()
    return fig
