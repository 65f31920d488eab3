# %% [markdown]
# # 08 — Self-organizing maps
#
# A **self-organizing map** (SOM, Kohonen 1982) is a neural network without a loss function and without
# labels. It has one layer of units arranged on a two-dimensional grid; every unit $k$ holds a weight vector
# $\mathbf{w}_k \in \mathbb{R}^D$ in the same space as the data. Training pulls the weight vectors towards the
# data, and, because every update also moves the *grid neighbours* of the winning unit, units that are close
# on the grid end up with similar weight vectors. The result is a map: a 2-D picture of a $D$-dimensional
# data set in which nearby places mean similar things.
#
# SOMs were part of the second wave of neural-network research in the 1980s, alongside backpropagation and
# Hopfield networks, and they are still used to visualise data (the U-matrix below is their best-known
# picture). In this notebook:
#
# 1. the grid, the best-matching unit, the neighbourhood function and the decaying learning rate and radius;
#    square and hexagonal grids;
# 2. random colours organising into a smooth colour map, watched at several stages of training;
# 3. how to measure a map: quantization error, topographic error, and the U-matrix;
# 4. handwritten digits on a map, with the U-matrix and the class labels drawn on it;
# 5. the trade-off between quantization and topographic error as the neighbourhood width changes;
# 6. a vectorised **batch SOM**, timed against the online algorithm and against the MiniSom library;
# 7. Oja's rule: one Hebbian neuron that learns the first principal component.
#
# **Shapes.** Data `X` has shape `(N, D)` (one sample per row). A map with `rows × cols` units stores its
# weights as `W` of shape `(K, D)` with `K = rows * cols`, units numbered row by row, and the grid position
# of every unit in `coords` of shape `(K, 2)`.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.patches import RegularPolygon

import dlcourse
import dlcourse.data
import dlcourse.plotting
from dlcourse.metrics import report
from dlcourse.training import progress

rng = dlcourse.setup(0)

# %% [markdown]
# ## 1. The map: a grid of weight vectors
#
# Unit $k$ has two descriptions: its **weight vector** $\mathbf{w}_k \in \mathbb{R}^D$ (where it sits in data
# space) and its **grid position** $\mathbf{r}_k \in \mathbb{R}^2$ (where it sits on the map). On a square grid
# unit $k$ is in row $\lfloor k / \text{cols} \rfloor$ and column $k \bmod \text{cols}$. On a hexagonal grid
# every odd row is shifted right by half a unit and rows are $\sqrt{3}/2$ apart, so that every unit has six
# neighbours at distance exactly 1 — no diagonal neighbours that are "a bit further away".
#
# Two units are **adjacent** when their grid distance is at most 1.5. On a square grid that gives the 8
# surrounding units (the four at distance 1 and the four diagonal ones at $\sqrt2$); on a hexagonal grid the
# 6 units at distance 1 (the next ring is at $\sqrt3 \approx 1.73$). We use this one definition for the
# U-matrix and the topographic error below. It is the definition MiniSom uses for square grids (it counts
# diagonal neighbours, with a threshold of 1.42) and for hexagonal ones.

# %%
def grid_coordinates(rows, cols, hexagonal=False):
    """Grid positions (K, 2) of a rows x cols map, units numbered row by row: (row, column) per unit.
    On a hexagonal grid odd rows shift right by 1/2 and rows are sqrt(3)/2 apart."""
    row, col = np.divmod(np.arange(rows * cols), cols)
    coords = np.column_stack([row, col]).astype(float)
    if hexagonal:
        coords[:, 1] += 0.5 * (row % 2)
        coords[:, 0] *= np.sqrt(3) / 2
    return coords


def grid_sq_distances(coords):
    """Squared grid distances (K, K) between all pairs of units."""
    diff = coords[:, None, :] - coords[None, :, :]
    return (diff ** 2).sum(-1)


ADJACENT = 1.5  # grid distance up to which two units are neighbours (8 on a square grid, 6 on a hexagonal)


def adjacency(coords):
    """Boolean (K, K): True where two different units are adjacent on the grid."""
    d2 = grid_sq_distances(coords)
    return (d2 <= ADJACENT ** 2) & (d2 > 0)


square, hexagonal = grid_coordinates(7, 7), grid_coordinates(7, 7, hexagonal=True)
centre = 3 * 7 + 3
print("neighbours of the centre unit: square", adjacency(square)[centre].sum(),
      "hexagonal", adjacency(hexagonal)[centre].sum())
assert adjacency(square)[centre].sum() == 8 and adjacency(hexagonal)[centre].sum() == 6
assert np.allclose(np.sqrt(grid_sq_distances(hexagonal)[centre][adjacency(hexagonal)[centre]]), 1.0)

# %% [markdown]
# ### The best-matching unit and the neighbourhood function
#
# For a sample $\mathbf{x}$, the **best-matching unit** (BMU, the "winner") is the unit whose weight vector is
# closest in data space:
#
# $$c(\mathbf{x}) = \arg\min_k \lVert \mathbf{x} - \mathbf{w}_k \rVert .$$
#
# For a whole batch we never loop over samples: expanding the square,
# $\lVert \mathbf{x}_n - \mathbf{w}_k \rVert^2 = \lVert \mathbf{x}_n \rVert^2 - 2\,\mathbf{x}_n^\top \mathbf{w}_k
# + \lVert \mathbf{w}_k \rVert^2$, all $N \times K$ distances come from one matrix product, and
# $\lVert \mathbf{x}_n \rVert^2$ does not change the arg-min, so we may drop it.
#
# The **neighbourhood function** says how strongly unit $k$ learns when unit $c$ wins. It depends only on
# *grid* distance, never on distance in data space — that is what ties the grid to the data:
#
# $$h_{ck}(\sigma) = \exp\!\left(-\frac{\lVert \mathbf{r}_k - \mathbf{r}_c \rVert^2}{2\sigma^2}\right).$$
#
# The radius $\sigma$ starts large (a quarter of the map or so: the whole map unfolds together) and shrinks
# during training (in the end only the winner and its nearest neighbours move: fine-tuning).

# %%
def best_matching_units(X, W):
    """Index (N,) of the closest weight vector (Euclidean) for every row of X (N, D); W is (K, D)."""
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T  # ||x - w||^2 minus the constant ||x||^2
    return scores.argmin(axis=1)


def neighbourhood(coords, bmus, sigma):
    """Gaussian neighbourhood (N, K): h[n, k] = exp(-|r_k - r_bmu(n)|^2 / (2 sigma^2))."""
    d2 = ((coords[None, :, :] - coords[bmus][:, None, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2.0 * sigma ** 2))


fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
for ax, coords, name in [(axes[0], square, "square grid"), (axes[1], hexagonal, "hexagonal grid")]:
    h = neighbourhood(coords, np.array([centre]), sigma=1.5)[0]
    ax.scatter(coords[:, 1], -coords[:, 0], c=h, s=260, cmap="viridis", marker="s" if "square" in name else "h",
               edgecolors="k", linewidths=0.4)
    near = adjacency(coords)[centre]
    ax.scatter(coords[near, 1], -coords[near, 0], marker="o", s=25, c="w", edgecolors="k")
    ax.set_title(f"{name}: h for sigma = 1.5\n(white dots: the adjacent units)")
    ax.set_aspect("equal")
    ax.axis("off")
plt.show()

# %% [markdown]
# ### The update step and the schedules
#
# The online algorithm takes one sample at a time. The winner and its grid neighbours move towards it:
#
# $$\mathbf{w}_k \leftarrow \mathbf{w}_k + \eta(t)\, h_{c(\mathbf{x})k}\big(\sigma(t)\big)\,(\mathbf{x} -
# \mathbf{w}_k) \qquad \text{for every unit } k .$$
#
# Both the learning rate $\eta$ and the radius $\sigma$ decay over the $T$ steps of training. We use an
# exponential schedule from a start value to an end value, $\eta(t) = \eta_0 (\eta_1/\eta_0)^{t/T}$ and
# likewise for $\sigma$. A learning rate that never decays leaves the map jittering around: every new sample
# drags its winner a fixed fraction of the way, so the weights never settle.

# %%
def decay(t, T, start, end):
    """Exponential schedule: start at t = 0, end at t = T."""
    return start * (end / start) ** (t / T)


def train_online(X, W0, coords, num_epochs, lr=(0.5, 0.01), sigma=(3.0, 0.5), seed=0, snapshots=()):
    """Online SOM: one sample at a time, in a new random order every epoch. Returns the weights (K, D)
    and a dict {step: weights} of copies taken before the listed steps (and at the end)."""
    order_rng = np.random.default_rng(seed)
    W = W0.copy()
    N = len(X)
    T = num_epochs * N
    taken = {}
    t = 0
    for _ in range(num_epochs):
        for n in order_rng.permutation(N):
            if t in snapshots:
                taken[t] = W.copy()
            x = X[n]
            c = np.argmin(((W - x) ** 2).sum(axis=1))  # winner of this one sample
            s = decay(t, T, *sigma)
            h = np.exp(-((coords - coords[c]) ** 2).sum(axis=1) / (2 * s * s))
            W += decay(t, T, *lr) * h[:, None] * (x - W)
            t += 1
    taken[T] = W.copy()
    return W, taken


# %% [markdown]
# ## 2. Colours organise into a map
#
# The classic first SOM: 600 random RGB colours ($D = 3$, values in $[0, 1]$) on a $20 \times 20$ grid whose
# weights start random. Since a weight vector is itself a colour, we can *draw* the map: paint each unit in
# the colour its weight vector holds.

# %%
colours = rng.uniform(0, 1, size=(600, 3))
rows = cols = 20
coords_rgb = grid_coordinates(rows, cols)
W0_rgb = rng.uniform(0, 1, size=(rows * cols, 3))
num_epochs_rgb = 8
T_rgb = num_epochs_rgb * len(colours)
stages = [0, 40, 400, 1600, T_rgb]
W_rgb, snaps = train_online(colours, W0_rgb, coords_rgb, num_epochs_rgb, lr=(0.5, 0.02),
                            sigma=(6.0, 0.7), snapshots=stages)

fig, axes = plt.subplots(1, len(stages), figsize=(13, 3))
for ax, t in zip(axes, stages):
    ax.imshow(np.clip(snaps[t], 0, 1).reshape(rows, cols, 3))
    ax.set_title(f"after {t} updates", fontsize=10)
    ax.axis("off")
plt.show()

# %% [markdown]
# In the first few dozen updates the large neighbourhood drags whole regions of the map towards the same
# colours: the map "unfolds" into coarse patches. As $\sigma$ shrinks, the patches sharpen into a smooth map
# where every colour sits next to similar colours. How smooth? The **U-matrix** (unified distance matrix,
# Ultsch 1990) gives every unit the mean distance between its weight vector and those of its adjacent units:
#
# $$U_k = \frac{1}{|\mathcal{N}(k)|}\sum_{j \in \mathcal{N}(k)} \lVert \mathbf{w}_k - \mathbf{w}_j \rVert ,$$
#
# where $\mathcal{N}(k)$ are the units adjacent to $k$ (8 inside a square grid, fewer on its border). Small
# values mean a smooth map; ridges of large values are borders between clusters.

# %%
def u_matrix(W, coords):
    """Mean distance (K,) from each unit's weight vector to those of its adjacent units."""
    near = adjacency(coords)
    dist = np.sqrt(np.maximum(((W[:, None, :] - W[None, :, :]) ** 2).sum(-1), 0))
    return (dist * near).sum(axis=1) / near.sum(axis=1)


smooth_start, smooth_end = u_matrix(W0_rgb, coords_rgb).mean(), u_matrix(W_rgb, coords_rgb).mean()
report("RGB map: mean U-matrix before training", smooth_start)
report("RGB map: mean U-matrix after training", smooth_end)
assert smooth_end < smooth_start / 5, (smooth_start, smooth_end)

# %% [markdown]
# Training made neighbouring units at least five times more alike than the random start (asserted above).
#
# The same on a **hexagonal** grid, drawn with hexagons. Each unit now has six equally close neighbours, which
# is why Kohonen recommends hexagonal maps for visual inspection: no direction on the map is special.

# %%
def draw_hexagons(ax, coords, facecolors):
    """Draw each unit of a hexagonal grid as a pointy-top hexagon in its colour."""
    patches = [RegularPolygon((c, -r), numVertices=6, radius=1 / np.sqrt(3), orientation=0)
               for r, c in coords]
    ax.add_collection(PatchCollection(patches, facecolors=facecolors, edgecolors="none"))
    ax.set_xlim(coords[:, 1].min() - 1, coords[:, 1].max() + 1)
    ax.set_ylim(-coords[:, 0].max() - 1, -coords[:, 0].min() + 1)
    ax.set_aspect("equal")
    ax.axis("off")


coords_hex = grid_coordinates(rows, cols, hexagonal=True)
W_hex, _ = train_online(colours, W0_rgb, coords_hex, num_epochs_rgb, lr=(0.5, 0.02), sigma=(6.0, 0.7))
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
draw_hexagons(axes[0], coords_hex, np.clip(W0_rgb, 0, 1))
axes[0].set_title("hexagonal map, random start")
draw_hexagons(axes[1], coords_hex, np.clip(W_hex, 0, 1))
axes[1].set_title(f"after {T_rgb} updates")
plt.show()
hex_smooth = u_matrix(W_hex, coords_hex).mean()
report("RGB hexagonal map: mean U-matrix after training", hex_smooth)
assert hex_smooth < u_matrix(W0_rgb, coords_hex).mean() / 5

# %% [markdown]
# ## 3. Measuring a map: quantization and topographic error
#
# A SOM does two jobs at once, and each has its own error measure.
#
# * **Quantization error** — how well the weight vectors represent the data: the mean distance from each
#   sample to its BMU,
#   $$\text{QE} = \frac{1}{N} \sum_n \lVert \mathbf{x}_n - \mathbf{w}_{c(\mathbf{x}_n)} \rVert .$$
#   (k-means minimises the square of this; a SOM pays for its smoothness with a somewhat larger QE.)
# * **Topographic error** — how well the map preserves topology: the fraction of samples whose best and
#   second-best units are *not adjacent* on the grid,
#   $$\text{TE} = \frac{1}{N} \sum_n \mathbb{1}\big[\text{best and second-best unit of } \mathbf{x}_n
#   \text{ are not adjacent}\big].$$
#   "Adjacent" is the definition from section 1: grid distance ≤ 1.5, i.e. the 8 surrounding units on a
#   square grid (diagonals included, as in MiniSom) and the 6 on a hexagonal grid. A map folded onto itself
#   has two distant units that both fit a sample well, and TE counts exactly those samples.

# %%
def quantization_error(X, W):
    """Mean Euclidean distance from each row of X (N, D) to its closest weight vector in W (K, D)."""
    d2 = (X * X).sum(1)[:, None] - 2.0 * X @ W.T + (W * W).sum(1)[None, :]
    return np.sqrt(np.maximum(d2.min(axis=1), 0)).mean()


def topographic_error(X, W, coords):
    """Fraction of the rows of X whose best and second-best units are not adjacent on the grid."""
    scores = (W * W).sum(axis=1) - 2.0 * X @ W.T
    two_best = np.argpartition(scores, 1, axis=1)[:, :2]  # the two smallest, in either order
    gap = coords[two_best[:, 0]] - coords[two_best[:, 1]]
    return float(((gap ** 2).sum(axis=1) > ADJACENT ** 2).mean())


qe_rgb, te_rgb = quantization_error(colours, W_rgb), topographic_error(colours, W_rgb, coords_rgb)
report("RGB square map: quantization error", qe_rgb)
report("RGB square map: topographic error", te_rgb)
assert te_rgb <= 0.05 and qe_rgb <= 0.12, (qe_rgb, te_rgb)

# %% [markdown]
# A random colour lies on average about a tenth away from its unit's colour (the RGB cube has side 1; 400 units
# spread over it are about 0.14 apart), and for almost every colour the two best units are neighbours on the
# map (asserted above: QE ≤ 0.12, TE ≤ 0.05).
#
# ## 4. The batch SOM: vectorised training
#
# The online loop above spends almost all its time in Python: every update is a handful of tiny numpy calls on
# a $K \times D$ array, and Python's per-call overhead dominates. The **batch map** (Kohonen's "batch SOM")
# removes the loop over samples. Ask where the online updates would settle if the winners did not change: at a
# fixed point, $\sum_n h_{c(\mathbf{x}_n)k}\,(\mathbf{x}_n - \mathbf{w}_k) = 0$ for every unit, that is
#
# $$\mathbf{w}_k = \frac{\sum_n h_{c(\mathbf{x}_n)k}\, \mathbf{x}_n}{\sum_n h_{c(\mathbf{x}_n)k}} .$$
#
# The batch SOM alternates two steps per epoch, like k-means: find all BMUs (one matrix product), then set every
# weight vector to this neighbourhood-weighted mean of the data. There is no learning rate, only the radius
# $\sigma$, which decays from epoch to epoch. It gets cheaper still: group the samples by their winner. With
# $\mathbf{s}_j = \sum_{n: c(\mathbf{x}_n) = j} \mathbf{x}_n$ (sum of the samples won by unit $j$) and $m_j$
# their number,
#
# $$\mathbf{w}_k = \frac{\sum_j h_{jk}\, \mathbf{s}_j}{\sum_j h_{jk}\, m_j}, \qquad \text{i.e.} \qquad
# W = \frac{H S}{H \mathbf{m}}$$
#
# with the $K \times K$ matrix $H$ of neighbourhood weights: one $K \times K$ by $K \times D$ product per epoch,
# whatever $N$ is.

# %%
def train_batch(X, W0, coords, num_epochs, sigma=(4.0, 0.5)):
    """Batch SOM: each epoch finds all winners at once and sets every weight vector to the
    neighbourhood-weighted mean of the data. Returns the weights (K, D)."""
    W = W0.copy()
    K = len(W)
    d2_grid = grid_sq_distances(coords)
    for epoch in range(num_epochs):
        s = decay(epoch, max(num_epochs - 1, 1), *sigma)  # reaches sigma[1] in the last epoch
        winners = best_matching_units(X, W)
        sums = np.zeros_like(W)
        np.add.at(sums, winners, X)  # s_j: sum of the samples that unit j won
        counts = np.bincount(winners, minlength=K)  # m_j
        H = np.exp(-d2_grid / (2 * s * s))
        W = (H @ sums) / (H @ counts)[:, None]
    return W


# %% [markdown]
# ## 5. Handwritten digits on a map
#
# Now real data: the $8 \times 8$ digit images of `dlcourse.data.digits()` ($D = 64$, 1437 training images), on a
# $10 \times 10$ map, trained with the batch SOM for 30 epochs. The weights start at 100 randomly chosen
# training images.

# %%
X_train, X_test, y_train, y_test = dlcourse.data.digits(dtype=np.float64)
rows = cols = 10
coords_dig = grid_coordinates(rows, cols)
W0_dig = X_train[rng.choice(len(X_train), rows * cols, replace=False)]
W_dig = train_batch(X_train, W0_dig, coords_dig, num_epochs=30, sigma=(4.0, 0.5))

dlcourse.plotting.image_grid(W_dig.reshape(-1, 8, 8), ncols=cols, size=0.7)
plt.suptitle("the 100 weight vectors of the digit map, as images", y=1.02)
plt.show()

# %% [markdown]
# The prototypes already look like a map: neighbouring units hold similar digits and one shape morphs into the
# next. To see the cluster borders, draw the **U-matrix** as an image (bright = far from the neighbours) and
# write on every unit the most frequent label among the training images it wins. The labels were *not* used
# in training; if they form contiguous regions, the SOM has discovered the classes on its own.

# %%
winners = best_matching_units(X_train, W_dig)
unit_label = np.full(rows * cols, -1)
for k in range(rows * cols):
    won = y_train[winners == k]
    if len(won):
        unit_label[k] = np.bincount(won, minlength=10).argmax()

U = u_matrix(W_dig, coords_dig).reshape(rows, cols)
fig, ax = plt.subplots(figsize=(5.5, 5))
image = ax.imshow(U, cmap="bone_r")
for k, label in enumerate(unit_label):
    if label >= 0:
        r, c = divmod(k, cols)
        ax.text(c, r, str(label), ha="center", va="center", fontsize=11, fontweight="bold",
                color=plt.cm.tab10(label), path_effects=[patheffects.withStroke(linewidth=2.5, foreground="w")])
ax.set_title("U-matrix of the digit map, with each unit's majority label")
ax.axis("off")
fig.colorbar(image, ax=ax, shrink=0.8, label="mean distance to adjacent units")
plt.show()

# %% [markdown]
# Same-label units form connected regions separated by bright ridges of the U-matrix. How well the map separates
# the classes can be measured: label each test image by the majority label of its BMU (a 100-prototype nearest
# neighbour classifier whose prototypes never saw a label).

# %%
som_accuracy = (unit_label[best_matching_units(X_test, W_dig)] == y_test).mean()
same_label = adjacency(coords_dig) & (unit_label[:, None] == unit_label[None, :]) & (unit_label[:, None] >= 0)
neighbour_agreement = same_label.sum() / adjacency(coords_dig).sum()
shuffled = rng.permutation(unit_label)  # the same labels placed at random on the map
chance_agreement = (adjacency(coords_dig) & (shuffled[:, None] == shuffled[None, :])).sum() / adjacency(coords_dig).sum()
report("digit map: test accuracy of BMU labels", som_accuracy)
report("digit map: fraction of adjacent unit pairs with equal labels", neighbour_agreement)
report("digit map: the same with the labels shuffled over the map", chance_agreement)
assert som_accuracy >= 0.88, som_accuracy
assert neighbour_agreement >= 0.4 and neighbour_agreement >= 3 * chance_agreement, (neighbour_agreement,
                                                                                      chance_agreement)

# %% [markdown]
# Labelling test digits by their BMU is right about nine times in ten (asserted: ≥ 0.88). About half of all
# pairs of adjacent units carry the same label — diagonal pairs included — against about a tenth when the same
# labels are scattered over the map at random (asserted: ≥ 0.4 and at least three times chance).
#
# ## 6. The trade-off: neighbourhood width against quantization and topographic error
#
# The final radius $\sigma_1$ decides what the map is good at. A small $\sigma_1$ lets every unit chase its own
# samples (low QE, close to k-means) but neighbours drift apart and the map may fold (high TE). A large
# $\sigma_1$ keeps the map stiff and smooth (low TE) but every unit is pulled towards the mean of a large region
# (high QE). We sweep $\sigma_1$ with the batch SOM, same start and 30 epochs each.

# %%
final_sigmas = [0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0]
sweep = {"QE": [], "TE": []}
for s1 in progress(final_sigmas, desc="sigma sweep"):
    W = train_batch(X_train, W0_dig, coords_dig, num_epochs=30, sigma=(4.0, s1))
    sweep["QE"].append(quantization_error(X_train, W))
    sweep["TE"].append(topographic_error(X_train, W, coords_dig))

fig, ax = plt.subplots(figsize=(6, 3.8))
ax.plot(final_sigmas, sweep["QE"], "o-", color="C0", label="quantization error")
ax.set_xlabel(r"final neighbourhood radius $\sigma_1$")
ax.set_ylabel("QE", color="C0")
ax2 = ax.twinx()
ax2.plot(final_sigmas, sweep["TE"], "s--", color="C3", label="topographic error")
ax2.set_ylabel("TE", color="C3")
ax2.grid(False)
ax.set_title("batch SOM on digits: wider neighbourhood, smoother but coarser map")
plt.show()
for s1, q, e in zip(final_sigmas, sweep["QE"], sweep["TE"]):
    print(f"sigma_1 = {s1:3.1f}: QE = {q:.3f}  TE = {e:.3f}")

# %%
qe_sweep, te_sweep = np.array(sweep["QE"]), np.array(sweep["TE"])
assert np.all(np.diff(qe_sweep) > 0), "QE should grow with the radius"
assert te_sweep[0] >= 0.08 and te_sweep[-1] <= 0.03, te_sweep
assert te_sweep[0] > 3 * te_sweep[-1]
report("digits, sigma_1 = 0.4: topographic error", te_sweep[0])
_ = report("digits, sigma_1 = 3: topographic error", te_sweep[-1])

# %% [markdown]
# QE grows steadily with the radius, and TE falls from over a tenth at $\sigma_1 = 0.4$ to almost nothing at
# $\sigma_1 = 3$ (asserted: QE increasing, TE ≥ 0.08 at the smallest radius, ≤ 0.03 at the largest). There is no single best map: a map for *visualisation* wants low TE, a map used as
# a *codebook* wants low QE. Report both, and say which neighbour definition your TE uses — counting diagonal
# neighbours, as here, gives a noticeably smaller TE on a square grid than counting only the four direct ones.

# %% [markdown]
# ## 7. Online, batch and MiniSom: how fast, how good?
#
# [MiniSom](https://github.com/JustGlowing/minisom) is a small, widely used numpy SOM library. We use it only as
# a yardstick here (the course code above does not depend on it). Its `train_random` is the online algorithm:
# one sample per update, a Python loop over updates. Its defaults: learning rate $0.5$, and both the learning
# rate and $\sigma$ decay as $1/(1 + 2t/T)$, ending at a third of their start values.
#
# The budget is a fixed number of passes over the 1437 training images:
#
# | trainer | passes | updates | radius |
# | --- | --- | --- | --- |
# | MiniSom `train_random` | 10 | 14 370 single-sample | $\sigma$ = 1.5 → 0.5 |
# | our online SOM | 10 | 14 370 single-sample | $\sigma$ = 3 → 0.5 |
# | our batch SOM | 30 | 30 whole-data | $\sigma$ = 4 → 0.5 |
#
# The batch SOM gets three times as many passes, and still has to be at least twice as fast. All start from
# the same 100 training images. We time CPU seconds of this process (`time.process_time`, best of two runs),
# which a busy machine inflates less than wall-clock time.

# %%
from minisom import MiniSom


def cpu_seconds(fn, repeats=2):
    """Smallest CPU time of ``repeats`` calls of fn(), and the last result."""
    best = np.inf
    for _ in range(repeats):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def train_minisom():
    som = MiniSom(rows, cols, 64, sigma=1.5, learning_rate=0.5, random_seed=0)
    som._weights = W0_dig.reshape(rows, cols, 64).copy()  # the same start as ours (row-major units)
    som.train_random(X_train, 10 * len(X_train))
    return som


t_minisom, som = cpu_seconds(train_minisom)
t_online, (W_online, _) = cpu_seconds(lambda: train_online(X_train, W0_dig, coords_dig, 10, lr=(0.5, 0.01),
                                                           sigma=(3.0, 0.5)))
t_batch, W_batch = cpu_seconds(lambda: train_batch(X_train, W0_dig, coords_dig, 30, sigma=(4.0, 0.5)))

W_minisom = som.get_weights().reshape(rows * cols, 64)
results = {}
for name, W, seconds in [("MiniSom", W_minisom, t_minisom), ("online", W_online, t_online),
                         ("batch", W_batch, t_batch)]:
    results[name] = (seconds, quantization_error(X_train, W), topographic_error(X_train, W, coords_dig))
    report(f"{name} SOM: training time", seconds, "s")
    report(f"{name} SOM: quantization error", results[name][1])
    report(f"{name} SOM: topographic error", results[name][2])
speedup = t_minisom / t_batch
report("batch SOM speed-up over MiniSom", speedup, "x")
_ = report("online SOM speed-up over MiniSom", t_minisom / t_online, "x")

# %% [markdown]
# Our QE and TE agree with MiniSom's own measures (with diagonal neighbours) on its map — a check that we
# compare like with like:

# %%
assert np.isclose(som.quantization_error(X_train), results["MiniSom"][1])
assert np.isclose(som.topographic_error(X_train), results["MiniSom"][2])

fig, ax = plt.subplots(figsize=(5.5, 3.8))
for name, marker in [("MiniSom", "s"), ("online", "^"), ("batch", "o")]:
    seconds, q, e = results[name]
    ax.scatter(q, e, s=80, marker=marker, label=f"{name}: {seconds:.2f} s CPU")
ax.plot(sweep["QE"], sweep["TE"], ":", color="gray", label=r"batch SOM, other $\sigma_1$")
ax.set_xlabel("quantization error")
ax.set_ylabel("topographic error")
ax.set_title("lower left is better")
ax.legend(fontsize=8)
plt.show()

# %%
(_, qe_mini, te_mini), (_, qe_batch, te_batch) = results["MiniSom"], results["batch"]
assert speedup >= 2.0, f"batch SOM only {speedup:.1f}x faster than MiniSom"
assert qe_batch <= qe_mini - 0.01, (qe_batch, qe_mini)
assert te_batch <= te_mini - 0.02, (te_batch, te_mini)

# %% [markdown]
# The batch SOM is at least twice as fast as MiniSom (in our runs far more than that), *and* its map is better
# on both measures: lower quantization error and lower topographic error (asserted with margins of 0.01 and
# 0.02). Our own online loop does the same work as MiniSom's and runs at a similar speed: both are bound by
# Python's overhead per update, not by arithmetic. The batch SOM wins by moving the loop over samples into
# matrix products — the same lesson as minibatches in the rest of this course.
#
# MiniSom with a wider neighbourhood sits at another point of the trade-off from section 6: with $\sigma = 3$
# its TE drops to a few hundredths, and its QE rises above the batch SOM's.

# %%
def train_minisom_wide():
    wide = MiniSom(rows, cols, 64, sigma=3.0, learning_rate=0.5, random_seed=0)
    wide._weights = W0_dig.reshape(rows, cols, 64).copy()
    wide.train_random(X_train, 10 * len(X_train))
    return wide


wide = train_minisom_wide()
qe_wide, te_wide = wide.quantization_error(X_train), wide.topographic_error(X_train)
report("MiniSom sigma = 3: quantization error", qe_wide)
report("MiniSom sigma = 3: topographic error", te_wide)
assert te_wide <= 0.05 and te_wide < te_mini and qe_wide > qe_mini + 0.1, (qe_wide, te_wide)

# %% [markdown]
# ## 8. Oja's rule: Hebbian learning meets PCA
#
# A SOM unit learns by moving towards the inputs it responds to — a form of *Hebbian* learning ("cells that
# fire together wire together", Hebb 1949). The simplest Hebbian neuron is linear, $y = \mathbf{w}^\top
# \mathbf{x}$, with the update $\Delta \mathbf{w} = \eta\, y\, \mathbf{x}$. On centred data its expected update
# is $\eta\, C \mathbf{w}$ with the covariance $C$: the weight grows along the leading eigenvector of $C$, but it
# grows without bound.
#
# **Oja's rule** (Oja 1982) adds a forgetting term that keeps $\lVert \mathbf{w} \rVert$ near 1:
#
# $$\Delta \mathbf{w} = \eta\, y\,(\mathbf{x} - y\, \mathbf{w}).$$
#
# (It is Hebb's rule followed by normalisation, to first order in $\eta$.) Its stable fixed points are
# $\mathbf{w} = \pm \mathbf{u}_1$, the unit-length **first principal component**: one neuron computes PCA. Notice
# the shape shared with the SOM update, $\Delta \mathbf{w}_k = \eta\, h_{ck}(\mathbf{x} - \mathbf{w}_k)$: a
# Hebbian pull towards the input minus a decay that keeps the weights bounded.

# %%
angle = np.deg2rad(30)
axis1 = np.array([np.cos(angle), np.sin(angle)])
rotation = np.column_stack([axis1, [-axis1[1], axis1[0]]])
X2 = rng.normal(size=(1000, 2)) * np.array([2.0, 0.6]) @ rotation.T  # std 2 along axis1, 0.6 across


def oja(X, w0, lr, num_epochs, seed=0):
    """Oja's rule over shuffled epochs; returns the final weight (D,) and its path (steps + 1, D)."""
    order_rng = np.random.default_rng(seed)
    w = w0.copy()
    path = [w.copy()]
    T = num_epochs * len(X)
    t = 0
    for _ in range(num_epochs):
        for x in X[order_rng.permutation(len(X))]:
            y = w @ x
            w += decay(t, T, *lr) * y * (x - y * w)
            path.append(w.copy())
            t += 1
    return w, np.array(path)


def hebb(X, w0, lr, steps):
    """Plain Hebbian updates; returns the norm of w after every step."""
    w, norms = w0.copy(), []
    for x in X[:steps]:
        w += lr * (w @ x) * x
        norms.append(np.linalg.norm(w))
    return np.array(norms)


w0 = np.array([0.1, -0.9])
w_oja, path = oja(X2, w0, lr=(0.01, 0.001), num_epochs=2)
u1 = np.linalg.eigh(np.cov(X2.T))[1][:, -1]
norms_hebb = hebb(X2, w0, 0.01, 1000)

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
axes[0].scatter(X2[:, 0], X2[:, 1], s=4, alpha=0.3)
axes[0].plot(path[:, 0], path[:, 1], "r-", lw=1.5, label="Oja's w during training")
axes[0].annotate("", xy=2.5 * u1 * np.sign(u1 @ w_oja), xytext=(0, 0),
                 arrowprops=dict(arrowstyle="->", color="k", lw=2))
axes[0].text(*(2.7 * u1 * np.sign(u1 @ w_oja)), "first PC", fontsize=9)
axes[0].set_aspect("equal")
axes[0].legend(loc="lower right")
axes[0].set_title("Oja's rule finds the first principal component")
axes[1].semilogy(np.linalg.norm(path[1:1001], axis=1), label="Oja")
axes[1].semilogy(norms_hebb, label="Hebb")
axes[1].set_xlabel("update")
axes[1].set_ylabel(r"$\|w\|$")
axes[1].legend()
axes[1].set_title("Hebb's rule alone blows up")
plt.show()

# %%
cos_2d = abs(w_oja @ u1) / np.linalg.norm(w_oja)
report("Oja 2-D: |cos(w, first PC)|", cos_2d)
assert cos_2d >= 0.99 and abs(np.linalg.norm(w_oja) - 1) < 0.05, (cos_2d, np.linalg.norm(w_oja))
assert norms_hebb[-1] > 1e3

# %% [markdown]
# The same neuron on the 64-dimensional digits (centred). The top eigenvalues of their covariance are close
# together (about 0.70, 0.64 and 0.56), so the neuron needs more passes to single out the first one.

# %%
X_centred = X_train - X_train.mean(axis=0)
u1_digits = np.linalg.svd(X_centred, full_matrices=False)[2][0]
w0_digits = rng.normal(size=64)
w0_digits /= np.linalg.norm(w0_digits)
w_digits, _ = oja(X_centred, w0_digits, lr=(0.02, 0.002), num_epochs=20)
cos_digits = abs(w_digits @ u1_digits) / np.linalg.norm(w_digits)
report("Oja digits: |cos(w, first PC)|", cos_digits)
assert cos_digits >= 0.99 and abs(np.linalg.norm(w_digits) - 1) < 0.05, cos_digits

dlcourse.plotting.image_grid(np.stack([w_digits * np.sign(w_digits @ u1_digits), u1_digits]).reshape(-1, 8, 8),
                             ncols=2, titles=["Oja's neuron", "first PC (SVD)"], symmetric=True, cmap="RdBu",
                             size=2)
plt.show()

# %% [markdown]
# One Hebbian neuron with a decay term recovers the first principal component of the digits (|cos| ≥ 0.99,
# asserted), without ever forming the covariance matrix.
#
# ## Summary
#
# * A SOM is a grid of weight vectors. Each sample picks its best-matching unit in data space; the winner and
#   its *grid* neighbours move towards the sample, weighted by a neighbourhood function whose radius shrinks,
#   with a learning rate that decays.
# * The result is a topology-preserving map: colours become a smooth colour wheel, digits form contiguous
#   regions separated by ridges of the U-matrix, discovered without labels.
# * Quantization error measures how well the units fit the data, topographic error how well the grid's
#   neighbourhoods are kept; the neighbourhood width trades one against the other. State which units count as
#   neighbours (here: 8 on a square grid, 6 on a hexagonal one).
# * The batch SOM replaces the per-sample loop with matrix products, and on digits beats a per-sample library
#   both in speed and in map quality.
# * Oja's rule is the one-neuron ancestor: Hebbian learning plus a decay term computes the first principal
#   component.
#
# **References.** T. Kohonen, "Self-organized formation of topologically correct feature maps", *Biological
# Cybernetics* 43, 1982; T. Kohonen, "Essentials of the self-organizing map", *Neural Networks* 37, 2013 (batch
# map); A. Ultsch and H. P. Siemon, "Kohonen's self organizing feature maps for exploratory data analysis", 1990
# (U-matrix); K. Kiviluoto, "Topology preservation in self-organizing maps", ICNN 1996 (topographic error);
# E. Oja, "A simplified neuron model as a principal component analyzer", *J. Math. Biology* 15, 1982.
