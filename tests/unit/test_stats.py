"""dlcourse.stats: the intervals every comparison in the lectures asserts from."""

import numpy as np
import pytest
from scipy import stats as scipy_stats

from dlcourse.stats import bootstrap_interval, mean_interval, paired_difference, proportion_interval, standard_error


def test_t_interval_matches_scipy():
    values = [0.91, 0.93, 0.90, 0.95, 0.92]
    interval = mean_interval(values)
    low, high = scipy_stats.t.interval(0.95, 4, loc=np.mean(values), scale=scipy_stats.sem(values))
    assert interval.low == pytest.approx(low) and interval.high == pytest.approx(high)
    assert standard_error(values) == pytest.approx(scipy_stats.sem(values))
    assert interval.n == 5 and "n = 5" in str(interval)


def test_paired_difference_is_narrower_than_separate_intervals_when_seeds_share_noise():
    rng = np.random.default_rng(0)
    seed_effect = rng.normal(0, 0.05, size=8)
    a = 0.90 + seed_effect + rng.normal(0, 0.002, size=8)
    b = 0.88 + seed_effect + rng.normal(0, 0.002, size=8)
    paired = paired_difference(a, b)
    assert paired.above(0) and paired.excludes(0)
    assert mean_interval(a).low < mean_interval(b).high  # unpaired, the two intervals overlap
    assert paired.within(0.03) and not paired.within(0.01)


def test_coverage_of_the_t_interval_is_near_its_level():
    rng = np.random.default_rng(1)
    covered = sum(mean_interval(rng.normal(1.0, 2.0, size=5)).excludes(1.0) is False for _ in range(4000))
    assert 0.935 < covered / 4000 < 0.965  # 95 % ± about 3 standard errors of 4000 draws


def test_bootstrap_and_wilson():
    boot = bootstrap_interval(np.arange(20.0))
    assert boot.low < 9.5 < boot.high and boot.method == "bootstrap"
    none = proportion_interval(0, 10)
    assert none.low == pytest.approx(0.0, abs=1e-12) and none.high == pytest.approx(0.2775, abs=1e-3)
    assert proportion_interval(10, 10).high == pytest.approx(1.0)


def test_refuses_what_is_not_an_interval():
    with pytest.raises(ValueError, match="at least 2"):
        mean_interval([1.0])
    with pytest.raises(ValueError, match="equal counts"):
        paired_difference([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        mean_interval([1.0, float("nan")])
