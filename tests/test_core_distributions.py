"""Distributions: declared mean and scv match their samples; bad parameters are refused."""

import numpy as np
import pytest

import reactive_lab as rl
from reactive_lab.core import (
    Deterministic,
    Erlang,
    Exponential,
    Hyperexponential,
    LogNormal,
    Uniform,
)

DISTRIBUTIONS = [
    Exponential(rate=2.0),
    Deterministic(value=0.7),
    Erlang(k=3, rate=6.0),
    LogNormal(mean=1.5, cv=0.8),
    Uniform(low=1.0, high=3.0),
    Hyperexponential(probs=(0.7, 0.3), rates=(5.0, 0.5)),
]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda d: type(d).__name__)
def test_sample_mean_and_scv_match_the_declared_moments(dist):
    """200k draws reproduce .mean and .scv within 2% (sampling error is well under 1%)."""
    draws = dist.sample(rl.core.rng(1), 200_000)
    assert draws.shape == (200_000,)
    assert (draws >= 0).all()
    assert draws.mean() == pytest.approx(dist.mean, rel=0.02)
    assert draws.var() / draws.mean() ** 2 == pytest.approx(dist.scv, rel=0.05, abs=1e-12)


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
        (lambda: Exponential(0.0), r"rate must be positive \(got 0.0\)"),
        (lambda: Exponential(float("nan")), "rate must be a finite number"),
        (lambda: Deterministic(-1.0), "value must be positive"),
        (lambda: Erlang(0, 1.0), "k .* must be a positive int"),
        (lambda: Erlang(2.5, 1.0), "k .* must be a positive int"),
        (lambda: LogNormal(1.0, 0), "cv must be positive .* Deterministic"),
        (lambda: LogNormal(-1.0, 1.0), "mean must be positive"),
        (lambda: Uniform(2.0, 1.0), "high must be greater than low"),
        (lambda: Uniform(-1.0, 1.0), "low must be non-negative"),
        (lambda: Hyperexponential((0.5, 0.6), (1.0, 2.0)), "probs must sum to 1"),
        (lambda: Hyperexponential((1.0,), (1.0, 2.0)), "equal length"),
        (lambda: Hyperexponential((0.5, 0.5), (1.0, 0.0)), "rates entries must be positive"),
    ],
)
def test_distributions_reject_bad_parameters(build, message):
    """A nonsense parameter raises ValueError naming it."""
    with pytest.raises(ValueError, match=message):
        build()
