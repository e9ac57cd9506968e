"""Distributions: declared moments, cdf and ppf agree with scipy and with their own samples.

Statistical checks use fixed seeds and intervals at CONFIDENCE, so each would fail for about
one seed in 1,000 if the code were right; a wrong mean, scv, cdf or quantile fails them
outright. Comparisons with scipy are numerical, not statistical: two implementations of
the same formula agree to about 1e-12, and RTOL leaves room for the rounding of inverse
functions near the ends of the support.
"""

import math

import numpy as np
import pytest
from scipy import optimize, stats

import reactive_lab as rl
from reactive_lab.core import (
    Deterministic,
    Erlang,
    Exponential,
    Hyperexponential,
    LogNormal,
    Uniform,
    mean_ci,
    wilson_ci,
)

CONFIDENCE = 0.999
RTOL = 1e-9

DISTRIBUTIONS = [
    Exponential(rate=2.0),
    Deterministic(value=0.7),
    Erlang(k=3, rate=6.0),
    LogNormal(mean=1.5, cv=0.8),
    Uniform(low=1.0, high=3.0),
    Hyperexponential(probs=(0.7, 0.3), rates=(5.0, 0.5)),
]
CONTINUOUS = [d for d in DISTRIBUTIONS if not isinstance(d, Deterministic)]


def _name(dist) -> str:
    return type(dist).__name__


def _scipy(dist):
    """The same distribution in scipy.stats, parametrised from the textbook definitions."""
    if isinstance(dist, Exponential):
        return stats.expon(scale=1 / dist.rate)
    if isinstance(dist, Erlang):
        return stats.gamma(a=dist.k, scale=1 / dist.rate)
    if isinstance(dist, LogNormal):
        # E[X] = exp(mu + s^2/2) and 1 + cv^2 = exp(s^2): the median exp(mu) is mean/sqrt(1+cv^2)
        s = math.sqrt(math.log(1 + dist.cv**2))
        return stats.lognorm(s=s, scale=dist.mean / math.sqrt(1 + dist.cv**2))
    if isinstance(dist, Uniform):
        return stats.uniform(loc=dist.low, scale=dist.high - dist.low)
    raise AssertionError(dist)


def _mixture_tail(dist: Hyperexponential, x):
    """P(X > x) of a hyperexponential, summed branch by branch."""
    return sum(p * np.exp(-r * np.asarray(x)) for p, r in zip(dist.probs, dist.rates))


@pytest.mark.parametrize("dist", CONTINUOUS, ids=_name)
def test_sample_mean_and_scv_match_the_declared_moments(dist):
    """.mean lies in the 99.9% interval of 200k draws, and .scv in that of 30 batch scvs.

    The intervals must also be tight (under 2% of the mean, 5% of the scv), so that lying
    inside them means something. Batches of independent draws are independent, so the
    batch scvs give an honest interval for the scv.
    """
    draws = dist.sample(rl.core.rng(1), 200_000)
    assert draws.shape == (200_000,)
    assert (draws >= 0).all()
    mean = mean_ci(draws, confidence=CONFIDENCE)
    assert mean.contains(dist.mean), (mean, dist.mean)
    assert mean.half_width < 0.02 * dist.mean
    batches = draws[: draws.size // 30 * 30].reshape(30, -1)
    scv = mean_ci(batches.var(axis=1) / batches.mean(axis=1) ** 2, confidence=CONFIDENCE)
    assert scv.contains(dist.scv), (scv, dist.scv)
    assert scv.half_width < 0.05 * dist.scv


def test_deterministic_draws_are_exactly_the_value():
    """A metronome never varies: every draw is the value, so mean 0.7 and scv 0 exactly."""
    draws = Deterministic(0.7).sample(rl.core.rng(1), 200_000)
    assert draws.shape == (200_000,)
    assert (draws == 0.7).all()


@pytest.mark.parametrize(
    ("dist", "mean", "scv"),
    [
        (Exponential(4.0), 0.25, 1.0),
        (Erlang(4, 2.0), 2.0, 0.25),  # rate is per phase: mean k/rate
        (Uniform(0.0, 1.0), 0.5, 1 / 3),
        (Hyperexponential((1.0,), (2.0,)), 0.5, 1.0),  # one branch is an exponential
    ],
)
def test_moments_have_textbook_values(dist, mean, scv):
    """Each distribution reports the textbook mean and squared coefficient of variation."""
    assert dist.mean == pytest.approx(mean)
    assert dist.scv == pytest.approx(scv)


@pytest.mark.parametrize("dist", [d for d in CONTINUOUS if not isinstance(d, Hyperexponential)],
                         ids=_name)
def test_cdf_and_ppf_match_scipy(dist):
    """cdf and ppf equal scipy.stats' on a grid spanning both tails, below and above support."""
    reference = _scipy(dist)
    levels = np.concatenate([[0.0, 1e-9, 1e-4], np.linspace(0.01, 0.99, 99), [1 - 1e-6]])
    np.testing.assert_allclose(dist.ppf(levels), reference.ppf(levels), rtol=RTOL)
    x = np.concatenate([[-1.0, 0.0], reference.ppf(levels[1:]), [reference.ppf(1 - 1e-6) * 2]])
    np.testing.assert_allclose(dist.cdf(x), reference.cdf(x), rtol=RTOL, atol=1e-300)


def test_hyperexponential_cdf_is_the_mixture_of_its_branches():
    """cdf(x) = 1 - sum p_i exp(-r_i x), and ppf agrees with an independent root finder."""
    dist = Hyperexponential(probs=(0.7, 0.3), rates=(5.0, 0.5))
    x = np.linspace(0.0, 30.0, 301)
    np.testing.assert_allclose(dist.cdf(x), 1 - _mixture_tail(dist, x), rtol=RTOL, atol=1e-15)
    for q in (1e-6, 0.1, 0.5, 0.9, 0.99, 0.9999):
        root = optimize.brentq(lambda t, q=q: 1 - _mixture_tail(dist, t) - q, 0.0, 100.0,
                               xtol=1e-15, rtol=1e-14)
        assert dist.ppf(q) == pytest.approx(root, rel=RTOL)


@pytest.mark.parametrize(
    "dist",
    [
        Hyperexponential(probs=(0.9, 0.1), rates=(10.0, 0.5)),
        Hyperexponential(probs=(0.5, 0.0, 0.5), rates=(1e-3, 1.0, 1e3)),  # rates 1e6 apart
        Hyperexponential(probs=(0.3, 0.7), rates=(2.0, 2.0)),  # a plain exponential
    ],
    ids=["cache-mix", "extreme-rates", "equal-rates"],
)
def test_hyperexponential_ppf_inverts_the_cdf_in_both_tails(dist):
    """ppf solves cdf(x) = q to about machine precision, far into either tail."""
    small = np.geomspace(1e-300, 0.5, 60)
    np.testing.assert_allclose(dist.cdf(dist.ppf(small)), small, rtol=1e-12)
    levels = 1 - np.geomspace(1e-15, 0.5, 60)
    tails = 1 - levels  # exact in floating point for levels of at least 0.5
    np.testing.assert_allclose(_mixture_tail(dist, dist.ppf(levels)), tails, rtol=1e-12)
    assert dist.ppf(0.0) == 0.0
    assert dist.ppf(1.0) == math.inf


@pytest.mark.parametrize("dist", CONTINUOUS, ids=_name)
def test_samples_follow_the_cdf(dist):
    """Kolmogorov-Smirnov: 20k draws stay within the 99.9% band of the declared cdf."""
    draws = dist.sample(rl.core.rng(2), 20_000)
    distance = stats.kstest(draws, dist.cdf).statistic
    assert distance < stats.kstwo.ppf(CONFIDENCE, draws.size)


@pytest.mark.parametrize("q", [0.5, 0.9, 0.99])
@pytest.mark.parametrize("dist", CONTINUOUS, ids=_name)
def test_a_fraction_q_of_samples_falls_below_the_q_quantile(dist, q):
    """The share of 50k draws at or below ppf(q) lies in a 99.9% binomial band around q."""
    draws = dist.sample(rl.core.rng(3), 50_000)
    below = int(np.count_nonzero(draws <= dist.ppf(q)))
    assert wilson_ci(below, draws.size, confidence=CONFIDENCE).contains(q)


@pytest.mark.parametrize("dist", CONTINUOUS, ids=_name)
def test_ppf_and_cdf_are_inverses(dist):
    """cdf(ppf(q)) = q from 1e-9 to 1 - 1e-9, and ppf(cdf(x)) = x inside the support."""
    levels = np.concatenate([np.geomspace(1e-9, 0.5, 40), 1 - np.geomspace(1e-9, 0.5, 40)])
    # atol: ppf(q) = low + q (high - low) keeps q only to the rounding of a number near low
    np.testing.assert_allclose(dist.cdf(dist.ppf(levels)), levels, rtol=RTOL, atol=1e-15)
    x = dist.ppf(np.linspace(0.01, 0.99, 50))
    np.testing.assert_allclose(dist.ppf(dist.cdf(x)), x, rtol=RTOL)


@pytest.mark.parametrize(
    ("dist", "median"),
    [
        (Exponential(2.0), math.log(2) / 2),
        (Deterministic(0.7), 0.7),
        (Erlang(3, 6.0), stats.gamma(a=3, scale=1 / 6).median()),
        (LogNormal(1.5, 0.8), 1.5 / math.sqrt(1 + 0.8**2)),
        (Uniform(1.0, 3.0), 2.0),
    ],
    ids=_name,
)
def test_median_has_textbook_value(dist, median):
    """The median is ln 2 / rate, the value, the midpoint, mean / sqrt(1 + cv^2), ..."""
    assert isinstance(dist.median, float)
    assert dist.median == pytest.approx(median, rel=RTOL)


def test_hyperexponential_median_splits_the_mass_in_half():
    """Half the mass lies below the hyperexponential's median."""
    dist = Hyperexponential(probs=(0.9, 0.1), rates=(10.0, 0.5))
    assert _mixture_tail(dist, dist.median) == pytest.approx(0.5, rel=1e-12)


def test_deterministic_cdf_steps_at_the_value_and_every_quantile_is_the_value():
    """P(X <= x) is 0 below the value and 1 from it on; ppf is the value at every level."""
    dist = Deterministic(0.7)
    assert dist.cdf([0.0, 0.69, 0.7, 5.0]).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert dist.ppf([0.0, 0.5, 1.0]).tolist() == [0.7, 0.7, 0.7]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=_name)
def test_cdf_and_ppf_are_vectorised(dist):
    """A number gives a float; an array of any shape gives an array of that shape."""
    assert isinstance(dist.cdf(1.0), float)
    assert isinstance(dist.ppf(0.5), float)
    assert isinstance(dist.ppf(np.float64(0.5)), float)
    assert isinstance(dist.ppf(np.array(0.5)), float)
    levels = np.array([[0.1, 0.5, 0.9], [0.2, 0.4, 0.6]])
    assert dist.ppf(levels).shape == (2, 3)
    assert dist.cdf(levels).shape == (2, 3)
    assert dist.ppf([0.25, 0.75]).tolist() == [dist.ppf(0.25), dist.ppf(0.75)]
    assert dist.cdf([]).shape == (0,)
    assert dist.cdf(-1.0) == 0.0


def test_lognormal_mu_and_sigma_reproduce_the_mean_and_cv_and_drive_the_samples():
    """exp(mu + sigma^2/2) is the mean, sqrt(exp(sigma^2) - 1) the cv; sample uses both."""
    dist = LogNormal(mean=5.0, cv=1.5)
    assert math.exp(dist.mu + dist.sigma**2 / 2) == pytest.approx(5.0, rel=1e-12)
    assert math.sqrt(math.expm1(dist.sigma**2)) == pytest.approx(1.5, rel=1e-12)
    expected = rl.core.rng(5).lognormal(dist.mu, dist.sigma, 10)
    np.testing.assert_array_equal(dist.sample(rl.core.rng(5), 10), expected)
    assert dist.median == pytest.approx(math.exp(dist.mu), rel=1e-12)


def test_rng_passes_a_generator_through_and_rejects_bad_seeds():
    """rng() returns a given generator unchanged and refuses a negative seed."""
    generator = np.random.default_rng(0)
    assert rl.core.rng(generator) is generator
    with pytest.raises(ValueError, match=r"seed must be a non-negative int.*-1"):
        rl.core.rng(-1)
    with pytest.raises(ValueError, match="seed must be"):
        rl.core.rng("42")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Exponential(0.0), r"rate must be a number above 0 \(got 0.0\)"),
        (lambda: Exponential(float("nan")), r"rate must be a number above 0 \(got nan\)"),
        (lambda: Deterministic(-1.0), r"value must be a number above 0 \(got -1.0\)"),
        (lambda: Erlang(0, 1.0), r"k must be an int of at least 1 \(got 0\)"),
        (lambda: Erlang(2.5, 1.0), r"k must be an int of at least 1 \(got 2.5\)"),
        (lambda: LogNormal(1.0, 0), r"cv must be a number above 0 \(got 0\): .*Deterministic"),
        (lambda: LogNormal(1.0, -0.5), r"cv must be a number above 0 \(got -0.5\)$"),
        (lambda: LogNormal(-1.0, 1.0), r"mean must be a number above 0 \(got -1.0\)"),
        (lambda: Uniform(2.0, 1.0), r"high must be a number above 2 \(got 1.0\)"),
        (lambda: Uniform(-1.0, 1.0), r"low must be a number of at least 0 \(got -1.0\)"),
        (lambda: Hyperexponential((0.5, 0.6), (1.0, 2.0)), r"probs must sum to 1 \(got sum 1.1"),
        (lambda: Hyperexponential((1.0,), (1.0, 2.0)), "equal length"),
        (
            lambda: Hyperexponential((0.5, 0.5), (1.0, 0.0)),
            r"rates entries must be a number above 0 \(got 0.0\)",
        ),
        (lambda: Exponential(1.0).ppf(1.5), r"q must be a number from 0 to 1 \(got 1.5\)"),
        (lambda: Erlang(2, 1.0).ppf([0.5, -0.1]), r"q must be a number from 0 to 1 \(got -0.1\)"),
        (lambda: LogNormal(1.0, 1.0).cdf(float("nan")), r"x must be a finite number \(got nan\)"),
        (lambda: Uniform(0.0, 1.0).cdf([1.0, np.inf]), r"x must be a finite number \(got inf\)"),
        (lambda: Hyperexponential((1.0,), (1.0,)).cdf(["a"]), r"x must be a finite number"),
        (lambda: Deterministic(1.0).ppf("half"), r"q must be a number from 0 to 1 \(got 'half'\)"),
    ],
)
def test_distributions_reject_bad_parameters(build, message):
    """A nonsense parameter raises ValueError naming it, the rule and the value."""
    with pytest.raises(ValueError, match=message):
        build()
