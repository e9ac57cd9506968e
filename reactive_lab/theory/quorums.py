"""Closed forms for quorum replication: staleness, latency and availability from N, R, W.

Picture *N* replicas of a key. A write is acknowledged once *W* of them have stored it; a
read asks *R* of them and takes the newest answer. If ``R + W > N`` every read quorum
overlaps every write quorum, so a read sees the latest acknowledged write; if not, a read
may miss it. Bailis et al.'s *probabilistically bounded staleness* (PBS) says how often:

>>> round(k_staleness(n=3, r=1, w=1, k=1), 4)       # a read of 1 misses a write on 1 of 3
0.6667
>>> k_staleness(n=3, r=2, w=2, k=1)                 # strict quorum: never stale
0.0
>>> round(quorum_availability(n=3, quorum=2, up=0.99), 6)
0.999702

The latency of a quorum operation is the *W*-th (or *R*-th) fastest of *N* replies, an
order statistic: :func:`quorum_latency_cdf` and :func:`quorum_latency_quantile`. Give them
one distribution for replicas alike, or a list of *N*, one per replica (one of them in a
remote data centre, say): the number of replies in by *t* is then Poisson-binomial, not
binomial, and the closed form sums it replica by replica.
"""

# Taught in chapters/02-interfaces/state.md; keep names in sync.

from __future__ import annotations

from math import comb

from scipy import optimize, special

from reactive_lab.core import arguments

__all__ = [
    "k_staleness",
    "quorum_availability",
    "quorum_latency_cdf",
    "quorum_latency_quantile",
]


def _replica_latencies(latency, n: int, needs: tuple = ("cdf", "ppf")):
    """``(one, per_replica)``: the shared distribution (or None) and one per replica."""
    return arguments.samplers("latency", latency, n, needs=needs, parts="replicas")


def _sizes(n, **quorums) -> tuple:
    n = arguments.integer("n", n, low=1, high=100)
    return (n, *(arguments.integer(name, q, low=1, high=n) for name, q in quorums.items()))


def k_staleness(n: int, r: int, w: int, k: int = 1) -> float:
    """Return the probability that a read misses each of the last *k* writes (PBS).

    Each write reached exactly *W* replicas chosen at random (nothing spreads it further)
    and the read asks *R* replicas chosen at random. The read misses one write when its *R*
    replicas all lie among the ``N - W`` that lack it, with probability
    ``C(N-W, R) / C(N, R)``; it is staler than *k* versions when it misses each of the last
    *k* writes, independent draws: the probability to the power *k* (Bailis et al., 2012,
    equation 1). It is 0 as soon as ``R + W > N``.

    Parameters
    ----------
    n, r, w : int
        Replicas (1 to 100) and the read and write quorums (1 to *n*).
    k : int, default 1
        Versions of tolerated staleness, 1 to 1,000.

    Raises
    ------
    ValueError
        If a size is out of range.

    Examples
    --------
    >>> round(k_staleness(n=5, r=1, w=2, k=2), 4)    # (3/5) ** 2
    0.36
    """
    n, r, w = _sizes(n, r=r, w=w)
    k = arguments.integer("k", k, low=1, high=1_000)
    return (comb(n - w, r) / comb(n, r)) ** k


def quorum_availability(n: int, quorum: int, up: float) -> float:
    """Return the probability that at least *quorum* of *n* replicas are up.

    Each replica is up independently with probability *up*: the number up is binomial,
    and the operation can proceed when it reaches the quorum.

    Parameters
    ----------
    n, quorum : int
        Replicas (1 to 100) and how many must answer (1 to *n*).
    up : float
        Probability one replica is up, from 0 to 1.

    Raises
    ------
    ValueError
        If a size is out of range or *up* is not a probability.

    Examples
    --------
    >>> quorum_availability(n=3, quorum=3, up=0.9)   # all three: 0.9 ** 3
    0.7290000000000001
    """
    n, quorum = _sizes(n, quorum=quorum)
    up = arguments.probability("up", up)
    return float(sum(comb(n, j) * up**j * (1 - up) ** (n - j) for j in range(quorum, n + 1)))


def quorum_latency_cdf(t, n: int, quorum: int, latency) -> float:
    """Return P(the *quorum*-th fastest of *n* independent replies has come by *t*).

    At least *quorum* of the *n* replies must be in by *t*. With one distribution for all
    replicas each reply is in, independently, with probability ``F(t)``: a binomial tail,
    ``sum_{j>=quorum} C(n,j) F^j (1-F)^(n-j)``. With one distribution per replica, reply
    *i* is in with its own probability ``F_i(t)`` and the count is Poisson-binomial: its
    distribution is built one replica at a time, ``P_i(j) = P_{i-1}(j) (1 - F_i(t)) +
    P_{i-1}(j-1) F_i(t)``, and the answer is its tail from *quorum*.

    Parameters
    ----------
    t : float
        A time, in the latency's unit.
    n, quorum : int
        Replicas asked and replies needed.
    latency : Distribution or list of Distribution
        One replica's round trip (it must have ``cdf``), the same for all; or a list of
        *n*, one for each replica.

    Raises
    ------
    ValueError
        If a size is out of range, or *latency* is neither a distribution nor a list of
        *n* distributions.

    Examples
    --------
    >>> from reactive_lab.core import Exponential
    >>> round(quorum_latency_cdf(1.0, n=2, quorum=2, latency=Exponential(1.0)), 4)
    0.3996
    >>> near, far = Exponential(1.0), Exponential(0.1)      # one replica ten times slower
    >>> round(quorum_latency_cdf(1.0, n=2, quorum=2, latency=[near, far]), 4)
    0.0602
    """
    n, quorum = _sizes(n, quorum=quorum)
    one, per_replica = _replica_latencies(latency, n, needs=("cdf",))
    t = arguments.real("t", t)
    if one is not None:
        f = float(one.cdf(t))
        return float(sum(comb(n, j) * f**j * (1 - f) ** (n - j) for j in range(quorum, n + 1)))
    return _at_least(quorum, [float(d.cdf(t)) for d in per_replica])


def _at_least(k: int, probabilities) -> float:
    """Return P(at least *k* of independent events happen), each with its own probability."""
    count = [1.0]  # count[j]: P(exactly j of the events so far happen)
    for p in probabilities:
        count = [(count[j] if j < len(count) else 0.0) * (1 - p)
                 + (count[j - 1] * p if j > 0 else 0.0) for j in range(len(count) + 1)]
    return float(min(1.0, sum(count[k:])))


def quorum_latency_quantile(q: float, n: int, quorum: int, latency) -> float:
    """Return the *q*-quantile of a quorum operation's latency (the *quorum*-th of *n*).

    With one distribution for all replicas, the *quorum*-th smallest of *n* uniform draws
    is Beta(quorum, n - quorum + 1); so the operation's q-quantile is one reply's quantile
    at that Beta's q-quantile. With one distribution per replica there is no such shortcut:
    the quantile is the time where :func:`quorum_latency_cdf` reaches *q*, found by Brent's
    method between two bounds (the fastest reply's and the slowest's q-quantiles).

    Parameters
    ----------
    q : float
        A probability strictly between 0 and 1 (0.99 for the p99).
    n, quorum : int
        Replicas asked and replies needed.
    latency : Distribution or list of Distribution
        One replica's round trip (it must have ``ppf``, and ``cdf`` in a list), the same
        for all; or a list of *n*, one for each replica.

    Raises
    ------
    ValueError
        If *q* is not strictly between 0 and 1, a size is out of range, or *latency* is
        neither a distribution nor a list of *n* distributions.

    Examples
    --------
    >>> from reactive_lab.core import Exponential
    >>> d = Exponential(1.0)
    >>> round(quorum_latency_quantile(0.5, n=3, quorum=1, latency=d), 4)   # fastest of 3
    0.231
    >>> round(quorum_latency_quantile(0.5, n=1, quorum=1, latency=d), 4)   # ln 2
    0.6931
    >>> round(quorum_latency_quantile(0.5, n=3, quorum=1, latency=[d, d, d]), 4)
    0.231
    """
    q = arguments.real("q", q, low=0, high=1, low_open=True, high_open=True)
    n, quorum = _sizes(n, quorum=quorum)
    one, per_replica = _replica_latencies(latency, n)
    if one is not None:
        return float(one.ppf(float(special.betaincinv(quorum, n - quorum + 1, q))))
    # The fastest of n replies is at most the quorum-th, the slowest at least: at lo even
    # the fastest is in by probability q at most, at hi all n are by probability q at least.
    lo = min(float(d.ppf(1 - (1 - q) ** (1 / n))) for d in per_replica)
    hi = max(float(d.ppf(q ** (1 / n))) for d in per_replica)

    def gap(t):
        return quorum_latency_cdf(t, n, quorum, per_replica) - q

    if hi <= lo or gap(lo) >= 0:
        return lo
    return float(optimize.brentq(gap, lo, hi, xtol=1e-12 * max(1.0, hi), rtol=1e-12))
