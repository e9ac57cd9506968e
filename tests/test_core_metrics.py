"""Percentiles and confidence intervals."""

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.core import batch_means_ci, mean_ci, percentiles


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
    """Over 400 i.i.d. normal samples of size 20, a 90% interval covers 0 in 85-95% of them."""
    generator = np.random.default_rng(3)
    hits = sum(mean_ci(generator.normal(size=20), confidence=0.9).contains(0.0) for _ in range(400))
    assert 340 <= hits <= 380


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: percentiles([], qs=(50,)), "samples must hold at least 1"),
        (lambda: percentiles([1.0], qs=(150,)), "qs must be percentiles between 0 and 100"),
        (lambda: batch_means_ci(range(10), batches=1), "batches must be an int of at least 2"),
        (lambda: batch_means_ci(range(10), batches=20), "samples must hold at least 20"),
        (lambda: batch_means_ci(range(100), confidence=1.0), "confidence must be strictly"),
        (lambda: mean_ci([1.0]), "samples must hold at least 2"),
        (lambda: mean_ci([1.0, float("nan")]), "samples must be finite"),
    ],
)
def test_metrics_reject_bad_input(call, message):
    """Empty samples, too many batches and impossible levels raise ValueError."""
    with pytest.raises(ValueError, match=message):
        call()
