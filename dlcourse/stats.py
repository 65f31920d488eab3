"""Statistics for comparisons over seeds: the standard error, t-based and bootstrap confidence intervals,
paired differences, and proportions. Introduced in lecture 04 ("How sure is a comparison?") and used by
every later comparison in the course.

A claim is asserted from its interval, never from one run:

- "A beats B": the interval of the paired difference ``A - B`` over seeds lies above 0
  (``paired_difference(a, b).above(0)``);
- "no measurable difference": the interval lies inside a margin chosen and justified beforehand
  (``paired_difference(a, b).within(margin)``);
- a rate that varies from seed to seed (did the run converge?) is reported as a proportion with its
  Wilson interval (``proportion_interval(successes, n)``).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "standard_error", "mean_interval", "paired_difference", "bootstrap_interval",
           "proportion_interval"]


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval ``[low, high]`` from ``n`` observations."""

    estimate: float
    low: float
    high: float
    n: int
    confidence: float = 0.95
    method: str = "t"

    def above(self, value: float = 0.0) -> bool:
        """The whole interval lies above ``value`` (for a difference: the first is larger)."""
        return self.low > value

    def below(self, value: float = 0.0) -> bool:
        """The whole interval lies below ``value``."""
        return self.high < value

    def excludes(self, value: float = 0.0) -> bool:
        """``value`` is outside the interval."""
        return not self.low <= value <= self.high

    def within(self, margin: float) -> bool:
        """The whole interval lies inside ``(-margin, margin)``: no difference larger than ``margin``."""
        return -margin < self.low and self.high < margin

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def __str__(self) -> str:
        level = f"{100 * self.confidence:g}%"
        return f"{self.estimate:.4g} ({level} CI [{self.low:.4g}, {self.high:.4g}], n = {self.n})"


def _values(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if array.size < 2:
        raise ValueError(f"an interval needs at least 2 values, got {array.size}")
    if not np.all(np.isfinite(array)):
        raise ValueError("values must be finite")
    return array


def standard_error(values: Sequence[float]) -> float:
    """Standard error of the mean: sample standard deviation (ddof = 1) over sqrt(n)."""
    array = _values(values)
    return float(array.std(ddof=1) / math.sqrt(array.size))


def t_quantile(confidence: float, dof: int) -> float:
    """The two-sided quantile of Student's t with ``dof`` degrees of freedom (e.g. 2.776 for 95 %, 4)."""
    from scipy.stats import t

    return float(t.ppf(0.5 + confidence / 2, dof))


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> Interval:
    """Mean of ``values`` (one per seed) with its t-based confidence interval:
    mean ± t_{n-1} · s / sqrt(n). Assumes the seeds are independent draws."""
    array = _values(values)
    mean = float(array.mean())
    half = t_quantile(confidence, array.size - 1) * standard_error(array)
    return Interval(mean, mean - half, mean + half, int(array.size), confidence, "t")


def paired_difference(a: Sequence[float], b: Sequence[float], confidence: float = 0.95) -> Interval:
    """Interval of the mean difference ``a - b`` where ``a[i]`` and ``b[i]`` share seed ``i`` (same data
    split, same initialisation where the two allow it). Pairing removes what the seeds share, so it is
    narrower than comparing two separate intervals."""
    a_array, b_array = _values(a), _values(b)
    if a_array.shape != b_array.shape:
        raise ValueError(f"paired values need equal counts, got {a_array.size} and {b_array.size}")
    return mean_interval(a_array - b_array, confidence)


def bootstrap_interval(values: Sequence[float], statistic: Callable[[np.ndarray], float] = np.mean,
                       confidence: float = 0.95, num_resamples: int = 10_000, seed: int = 0) -> Interval:
    """Percentile bootstrap interval of ``statistic`` (Efron 1979): resample ``values`` with
    replacement ``num_resamples`` times and take the central ``confidence`` share of the statistics."""
    array = _values(values)
    rng = np.random.default_rng(seed)
    resamples = array[rng.integers(0, array.size, size=(num_resamples, array.size))]
    stats = np.apply_along_axis(statistic, 1, resamples)
    tail = (1 - confidence) / 2
    low, high = np.quantile(stats, [tail, 1 - tail])
    return Interval(float(statistic(array)), float(low), float(high), int(array.size), confidence, "bootstrap")


def proportion_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """Share of ``n`` runs that succeeded with its Wilson score interval (Wilson 1927), which stays
    inside [0, 1] and is sensible at 0 or n successes."""
    if not 0 <= successes <= n or n < 1:
        raise ValueError(f"need 0 <= successes <= n and n >= 1, got {successes} of {n}")
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), n, confidence, "wilson")
