"""Closed forms for calls across a network: false timeouts, retries, effects, amplification.

Picture a caller with a stopwatch. It sends a request, waits *timeout*, and if no reply has
come it gives up, or sends the request again. The formulas here say what that policy costs
when the callee's latency has a known distribution and the network loses messages:

>>> import reactive_lab as rl
>>> lookup = rl.core.Exponential(rate=1.0)               # mean 1 (ms, say)
>>> round(false_timeout_rate(lookup, timeout=3.0), 4)    # e^-3: slow, not failed
0.0498
>>> round(expected_attempts(0.1, retries=3), 3)          # 1 + 0.1 + 0.01 + 0.001
1.111
>>> retry_amplification(tries=3, layers=5)               # 3 tries at each of 5 layers
243

:func:`effect_counts` is the one to compare delivery semantics with: how often an
operation takes effect zero times, once, or more than once, when requests and replies are
lost independently and the caller retries until it hears a reply.
"""

# Taught in chapters/02-interfaces/calls.md and chapters/02-interfaces/delivery.md;
# keep names in sync.

from __future__ import annotations

from dataclasses import dataclass

from reactive_lab.core import arguments

__all__ = [
    "EffectCounts",
    "effect_counts",
    "expected_attempts",
    "false_timeout_rate",
    "residual_failure",
    "retry_amplification",
]


def false_timeout_rate(latency, timeout: float) -> float:
    """Return the share of calls that time out although the callee answers: ``1 - F(timeout)``.

    A call whose reply would have come after *timeout* is abandoned; the callee still did
    the work. With nothing lost, every timeout is such a *false* timeout, and its rate is
    the latency distribution's tail at the timeout.

    Parameters
    ----------
    latency : Distribution
        Round-trip time of one call (it must have ``cdf``).
    timeout : float
        How long the caller waits, above 0, in the latency's unit.

    Raises
    ------
    ValueError
        If *latency* has no ``cdf`` or *timeout* is not above 0.

    Examples
    --------
    >>> from reactive_lab.core import LogNormal
    >>> d = LogNormal(mean=5.0, cv=1.0)
    >>> round(false_timeout_rate(d, d.ppf(0.99)), 6)      # a timeout at the p99
    0.01
    """
    arguments.sampler("latency", latency)
    timeout = arguments.positive("timeout", timeout)
    return float(1.0 - latency.cdf(timeout))


def expected_attempts(failure: float, retries: int) -> float:
    """Return the mean calls made per request when each fails with probability *failure*.

    The caller tries once, and again after each failure, at most ``1 + retries`` times:
    ``1 + f + f^2 + ... + f^retries``.

    Parameters
    ----------
    failure : float
        Probability that one attempt fails (a loss, a timeout), from 0 to 1.
    retries : int
        Further attempts allowed after the first, 0 to 1,000.

    Raises
    ------
    ValueError
        If *failure* is not a probability or *retries* is out of range.

    Examples
    --------
    >>> expected_attempts(0.5, retries=1)
    1.5
    >>> expected_attempts(1.0, retries=4)                 # everything fails: 5 calls
    5.0
    """
    failure = arguments.probability("failure", failure)
    retries = arguments.integer("retries", retries, low=0, high=1_000)
    return float(sum(failure**k for k in range(retries + 1)))


def residual_failure(failure: float, retries: int) -> float:
    """Return the probability that all ``1 + retries`` independent attempts fail.

    Examples
    --------
    >>> residual_failure(0.1, retries=2)                  # 0.1 ** 3
    0.0010000000000000002
    """
    failure = arguments.probability("failure", failure)
    retries = arguments.integer("retries", retries, low=0, high=1_000)
    return float(failure ** (retries + 1))


def retry_amplification(tries: int, layers: int) -> int:
    """Return the calls reaching the bottom layer per top request when the bottom fails.

    Each of *layers* layers calls the one below and makes up to *tries* attempts; when the
    bottom always fails, every layer multiplies: ``tries ** layers``.

    Raises
    ------
    ValueError
        If *tries* (1 to 100) or *layers* (1 to 20) is out of range.

    Examples
    --------
    >>> retry_amplification(tries=2, layers=3)
    8
    """
    tries = arguments.integer("tries", tries, low=1, high=100)
    layers = arguments.integer("layers", layers, low=1, high=20)
    return tries**layers


@dataclass(frozen=True)
class EffectCounts:
    """How many times one operation took effect, as probabilities, and on average."""

    none: float
    """P(no attempt reached the callee): the operation is lost."""
    once: float
    """P(exactly one effect)."""
    more: float
    """P(two or more effects): duplicates."""
    mean: float
    """Mean effects per operation."""
    acknowledged: float
    """P(the caller heard a reply to some attempt)."""


def effect_counts(request_loss: float, reply_loss: float, attempts: int) -> EffectCounts:
    """Return how often an operation takes effect 0, 1 or more times, without deduplication.

    The caller sends an attempt and waits longer than any round trip; if no reply comes it
    sends another, at most *attempts* in all. Each request is lost with probability
    *request_loss*; a request that arrives takes effect, and its reply is lost with
    probability *reply_loss*. The probabilities follow the attempts one by one: a lost
    request leaves the count as it was, a lost reply adds an effect and another attempt, a
    reply ends it. With ``attempts=1`` this is at-most-once delivery; with more it is
    at-least-once, and the ``more`` term is what an idempotent receiver must absorb.

    Parameters
    ----------
    request_loss, reply_loss : float
        Loss probabilities, each from 0 to 0.99.
    attempts : int
        Attempts at most, 1 to 100.

    Raises
    ------
    ValueError
        If a probability or *attempts* is out of range.

    Examples
    --------
    >>> at_most_once = effect_counts(0.1, 0.1, attempts=1)
    >>> round(at_most_once.none, 3), round(at_most_once.more, 3)
    (0.1, 0.0)
    >>> at_least_once = effect_counts(0.1, 0.1, attempts=5)
    >>> round(at_least_once.none, 6), round(at_least_once.more, 3)     # 0.1 ** 5 lost
    (1e-05, 0.1)
    """
    p = arguments.real("request_loss", request_loss, low=0, high=0.99)
    r = arguments.real("reply_loss", reply_loss, low=0, high=0.99)
    attempts = arguments.integer("attempts", attempts, low=1, high=100)
    # still[e]: P(caller still trying, after the attempts so far, with e effects, capped at 2)
    still = [1.0, 0.0, 0.0]
    done = [0.0, 0.0, 0.0]
    mean = 0.0
    for _ in range(attempts):
        reached = [s * (1 - p) for s in still]
        mean += sum(reached)
        grown = [0.0, reached[0], reached[1] + reached[2]]  # one more effect, capped
        for e in range(3):
            done[e] += grown[e] * (1 - r)
        still = [still[e] * p + grown[e] * r for e in range(3)]
    final = [done[e] + still[e] for e in range(3)]
    return EffectCounts(none=final[0], once=final[1], more=final[2], mean=mean,
                        acknowledged=sum(done))
