"""Percentiles and confidence intervals: for a mean, a quantile and a proportion.

Coverage is checked by simulation: over many seeded repetitions an interval must cover the
truth at its promised rate, within a 99.9% binomial band around that rate.
"""

import math

import numpy as np
import pytest
from scipy import stats

import reactive_lab as rl
from reactive_lab.core import (
    batch_means_ci,
    mean_ci,
    normal_quantile,
    percentiles,
    quantile_ci,
    wilson_ci,
)

BAND = 0.999  # coverage counts must fall in this binomial band around the promised rate


def _coverage_band(rate: float, repetitions: int) -> tuple[float, float]:
    """Counts a fair coverage rate produces in all but 1 - BAND of seeds (normal approx.)."""
    spread = normal_quantile(BAND) * math.sqrt(repetitions * rate * (1 - rate))
    return repetitions * rate - spread, repetitions * rate + spread


def test_percentiles_match_numpy_and_key_by_q():
    """percentiles() returns numpy's percentiles keyed by float q."""
    samples = np.random.default_rng(0).exponential(size=1_000)
    result = percentiles(samples, qs=(50, 99))
    assert list(result) == [50.0, 99.0]
    assert result[99.0] == pytest.approx(np.percentile(samples, 99))


def test_mean_ci_is_the_student_t_interval():
    """mean ± t(0.975, n-1) s / sqrt(n) for a small hand-checked sample."""
    ci = mean_ci([1.0, 2.0, 3.0, 4.0], confidence=0.95)
    # s = 1.2910, t(0.975, 3) = 3.1824 -> half-width 2.0543
    assert ci.mean == 2.5
    assert ci.half_width == pytest.approx(2.0543, abs=1e-4)
    assert (ci.low, ci.high) == pytest.approx((2.5 - ci.half_width, 2.5 + ci.half_width))


def test_batch_means_widen_the_interval_for_correlated_waits():
    """On autocorrelated waits the batch-means interval is several times the i.i.d. one."""
    run = rl.core.simulate_mmc(0.9, 1.0, customers=100_000, seed=8, warmup=10_000)
    naive = mean_ci(run.waits)
    honest = batch_means_ci(run.waits)
    assert honest.half_width > 3 * naive.half_width


def test_mean_ci_covers_the_true_mean_about_as_often_as_promised():
    """Over 400 i.i.d. normal samples of size 20, a 90% interval covers 0 about 360 times:
    within 360 ± 3.29 sqrt(400 * 0.9 * 0.1), i.e. 341 to 379 (formerly 340 to 380)."""
    generator = np.random.default_rng(3)
    hits = sum(mean_ci(generator.normal(size=20), confidence=0.9).contains(0.0) for _ in range(400))
    low, high = _coverage_band(0.9, 400)
    assert 340 <= low <= hits <= high <= 380


@pytest.mark.parametrize(
    ("confidence", "two_sided", "z"),
    [(0.95, True, 1.96), (0.99, True, 2.58), (0.999, True, 3.29), (0.9999, True, 3.89),
     (0.95, False, 1.64), (0.99, False, 2.33)],
)
def test_normal_quantile_gives_the_textbook_z(confidence, two_sided, z):
    """The printed table values, and scipy's norm.ppf to full precision."""
    got = normal_quantile(confidence, two_sided=two_sided)
    assert round(got, 2) == z
    tail = (1 - confidence) / 2 if two_sided else 1 - confidence
    assert got == pytest.approx(stats.norm.ppf(1 - tail), rel=1e-12)


def test_normal_quantile_band_holds_its_share_of_normal_draws():
    """P(|Z| <= z) = confidence: the Gaussian integral over the band equals the level."""
    for confidence in (0.5, 0.9, 0.999):
        z = normal_quantile(confidence)
        assert math.erf(z / math.sqrt(2)) == pytest.approx(confidence, rel=1e-12)


def test_quantile_ci_of_the_median_of_25_is_the_8th_to_18th_value():
    """The classic table: for n = 25, the 95% interval for the median is x(8) to x(18)."""
    ci = quantile_ci(np.arange(1.0, 26.0), 0.5, confidence=0.95)
    assert (ci.low, ci.estimate, ci.high) == (8.0, 13.0, 18.0)


def _ranks(interval, ordered) -> tuple[int, int]:
    """1-based ranks of the interval's ends among the ordered samples (no ties)."""
    return (int(np.searchsorted(ordered, interval.low)) + 1,
            int(np.searchsorted(ordered, interval.high)) + 1)


@pytest.mark.parametrize(("size", "q", "confidence"), [(200, 0.9, 0.9), (1_000, 0.99, 0.95),
                                                      (40, 0.5, 0.99)])
def test_quantile_ci_ranks_are_the_tightest_with_the_promised_coverage(size, q, confidence):
    """Below t_q fall Binomial(n, q) samples: the ends miss with probability at most
    (1 - confidence)/2 each, and moving either end one rank inwards would miss more."""
    ordered = np.sort(np.random.default_rng(0).exponential(size=size))
    low, high = _ranks(quantile_ci(ordered, q, confidence), ordered)
    count = stats.binom(size, q)
    miss = (1 - confidence) / 2
    assert count.cdf(low - 1) <= miss < count.cdf(low)  # x(low) > t_q needs count < low
    assert count.sf(high - 1) <= miss < count.sf(high - 2)  # x(high) <= t_q needs count >= high


@pytest.mark.parametrize(("q", "confidence"), [(0.9, 0.9), (0.99, 0.95)])
def test_quantile_ci_covers_the_true_quantile_as_often_as_promised(q, confidence):
    """Over 2,000 seeded samples of 1,000 exponential draws, the interval covers the true
    q-quantile at its exact binomial coverage (at least the nominal level), within the
    99.9% band."""
    truth = rl.core.Exponential(1.0).ppf(q)
    size, repetitions = 1_000, 2_000
    generator = rl.core.rng(11)
    hits = 0
    for _ in range(repetitions):
        hits += quantile_ci(generator.exponential(size=size), q, confidence).contains(truth)
    ordered = np.sort(generator.exponential(size=size))
    low, high = _ranks(quantile_ci(ordered, q, confidence), ordered)
    exact = stats.binom.cdf(high - 1, size, q) - stats.binom.cdf(low - 1, size, q)
    assert exact >= confidence
    band_low, band_high = _coverage_band(exact, repetitions)
    assert band_low <= hits <= band_high


def test_quantile_ci_refuses_samples_too_few_to_bound_the_quantile():
    """All of 527 samples lie below the p99 with probability 0.99^527 > 0.005."""
    with pytest.raises(ValueError, match=r"samples must hold at least 528 values for a 0.99 "
                                         r"interval on the 0.99 quantile \(got 527\)"):
        quantile_ci(np.arange(527.0), 0.99, confidence=0.99)
    assert quantile_ci(np.arange(528.0), 0.99, confidence=0.99).high == 527.0


def test_wilson_ci_is_the_set_of_p_whose_binomial_band_holds_the_observed_share():
    """At each end p, |p_hat - p| = z sqrt(p (1 - p) / n): the score test's boundary."""
    successes, trials, confidence = 37, 120, 0.99
    ci = wilson_ci(successes, trials, confidence)
    z, share = normal_quantile(confidence), successes / trials
    for end in (ci.low, ci.high):
        assert abs(share - end) == pytest.approx(z * math.sqrt(end * (1 - end) / trials))
    assert ci.estimate == share
    assert ci.contains(share)


def test_wilson_ci_stays_inside_zero_and_one():
    """No successes gives [0, z^2/(n + z^2)]; all successes mirrors it."""
    z2 = normal_quantile(0.95) ** 2
    none, every = wilson_ci(0, 20, 0.95), wilson_ci(20, 20, 0.95)
    assert none.low == 0.0 and none.high == pytest.approx(z2 / (20 + z2))
    assert every.high == 1.0 and every.low == pytest.approx(20 / (20 + z2))


def test_wilson_ci_covers_the_true_proportion_about_as_often_as_promised():
    """Over 2,000 seeded counts of 1,000 trials, a 95% Wilson interval covers p = 0.3
    within the 99.9% binomial band around 95%."""
    trials, p, repetitions = 1_000, 0.3, 2_000
    counts = rl.core.rng(5).binomial(trials, p, size=repetitions)
    hits = sum(wilson_ci(int(k), trials, 0.95).contains(p) for k in counts)
    band_low, band_high = _coverage_band(0.95, repetitions)
    assert band_low <= hits <= band_high


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: percentiles([], qs=(50,)), r"samples must hold at least 1 value \(got 0\)"),
        (lambda: percentiles([1.0], qs=(150,)),
         r"qs entries must be a number from 0 to 100 \(got 150\)"),
        (lambda: batch_means_ci(range(10), batches=1),
         r"batches must be an int of at least 2 \(got 1\)"),
        (lambda: batch_means_ci(range(10), batches=20),
         r"samples must hold at least 20 values \(got 10\)"),
        (lambda: batch_means_ci(range(100), confidence=1.0),
         r"confidence must be a number strictly between 0 and 1 \(got 1.0\)"),
        (lambda: mean_ci([1.0]), r"samples must hold at least 2 values \(got 1\)"),
        (lambda: mean_ci([1.0, float("nan")]), r"samples must be finite numbers \(got nan\)"),
        (lambda: normal_quantile(0.0), r"confidence must be a number strictly between 0 and 1"),
        (lambda: normal_quantile(0.9, two_sided="yes"),
         r"two_sided must be one of True, False \(got 'yes'\)"),
        (lambda: quantile_ci(range(100), 1.0),
         r"q must be a number strictly between 0 and 1 \(got 1.0\)"),
        (lambda: quantile_ci(range(100), 0.5, confidence=95),
         r"confidence must be a number strictly between 0 and 1 \(got 95\)"),
        (lambda: wilson_ci(5, 0), r"trials must be an int of at least 1 \(got 0\)"),
        (lambda: wilson_ci(11, 10), r"successes must be an int from 0 to 10 \(got 11\)"),
        (lambda: wilson_ci(2.5, 10), r"successes must be an int from 0 to 10 \(got 2.5\)"),
    ],
)
def test_metrics_reject_bad_input(call, message):
    """Empty samples, too many batches and impossible levels raise ValueError."""
    with pytest.raises(ValueError, match=message):
        call()
