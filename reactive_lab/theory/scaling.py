"""Scaling laws: Amdahl's law and the Universal Scalability Law, fitted with uncertainty.

Picture a cluster that grows one node at a time. If every request were independent, N
nodes would do N times the work of one. Two things stop that. *Contention* (sigma): some
part of the work queues for something shared, a lock, a leader, one database; that part
does not speed up at all (Amdahl's serial fraction). *Coherency* (kappa): nodes must keep
each other up to date, and with N nodes each one talks to N - 1 others, a cost that grows
with the square of the cluster. Gunther's Universal Scalability Law puts both in one
formula for the relative capacity,

    C(N) = N / (1 + sigma (N - 1) + kappa N (N - 1)),

which rises, peaks at ``N* = sqrt((1 - sigma) / kappa)`` and then *falls*: past the peak,
another node lowers throughput.

>>> import reactive_lab as rl
>>> round(rl.theory.usl(8, contention=0.05, coherency=0.001), 3)
5.69
>>> round(rl.theory.usl_peak(contention=0.05, coherency=0.001), 1)
30.8
"""

# Taught in chapters/04-scalability/scaling.md; keep names in sync.

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit
from scipy.stats import t as student_t

from reactive_lab.core import arguments

__all__ = ["USLFit", "amdahl", "fit_usl", "usl", "usl_peak"]


def amdahl(nodes, serial_fraction: float):
    """Return Amdahl's speed-up ``N / (1 + s (N - 1))`` on *nodes* nodes.

    A job of which a fraction *s* cannot be parallelised never runs more than ``1 / s``
    times faster, however many nodes share the rest. It is the USL with no coherency.

    Parameters
    ----------
    nodes : float or array of float
        Cluster sizes N, each at least 1.
    serial_fraction : float
        s, from 0 to 1.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If a size is below 1 or *serial_fraction* is outside [0, 1].

    Examples
    --------
    >>> round(amdahl(16, 0.05), 2), round(1 / 0.05)  # 16 nodes, and the limit
    (9.14, 20)
    """
    serial_fraction = arguments.probability("serial_fraction", serial_fraction)
    return usl(nodes, contention=serial_fraction, coherency=0.0)


def _sizes(nodes):
    sizes = np.asarray(nodes, dtype=float)
    if sizes.size == 0 or not np.all(np.isfinite(sizes)) or np.any(sizes < 1):
        raise ValueError(f"nodes must be cluster sizes of at least 1 (got {nodes!r})")
    return sizes


def usl(nodes, contention: float, coherency: float):
    """Return the USL relative capacity ``C(N)``: throughput on N nodes over one node's.

    Parameters
    ----------
    nodes : float or array of float
        Cluster sizes N, each at least 1.
    contention : float
        sigma, from 0 to 1: the share of the work that serialises.
    coherency : float
        kappa, at least 0: the cost of keeping each pair of nodes in step.

    Returns
    -------
    float or numpy.ndarray
        A float for a single size, an array for an array.

    Raises
    ------
    ValueError
        If a size is below 1 or a coefficient is out of range.

    Examples
    --------
    >>> usl(1, 0.3, 0.01)
    1.0
    >>> usl([1, 2, 4], 0.0, 0.0).tolist()   # no contention, no coherency: linear
    [1.0, 2.0, 4.0]
    """
    sigma = arguments.probability("contention", contention)
    kappa = arguments.real("coherency", coherency, low=0)
    sizes = _sizes(nodes)
    capacity = sizes / (1 + sigma * (sizes - 1) + kappa * sizes * (sizes - 1))
    return float(capacity) if np.ndim(nodes) == 0 else capacity


def usl_peak(contention: float, coherency: float) -> float:
    """Return the cluster size ``N* = sqrt((1 - sigma) / kappa)`` of peak USL throughput.

    Infinite when *coherency* is 0 (Amdahl: throughput climbs to ``1 / sigma`` forever).

    Examples
    --------
    >>> usl_peak(0.0, 0.01)
    10.0
    >>> usl_peak(0.1, 0.0)
    inf
    """
    sigma = arguments.probability("contention", contention)
    kappa = arguments.real("coherency", coherency, low=0)
    return math.inf if kappa == 0 else math.sqrt((1 - sigma) / kappa)


@dataclass(frozen=True)
class USLFit:
    """A least-squares USL fit of measured throughput, with the parameters' uncertainty.

    The fit weighs relative errors (a 3% miss at 2,000 requests/s counts as much as one
    at 100). Standard errors come from the fit's covariance (the residual variance times
    ``(J^T J)^-1``); the peak's interval from the delta method on ``N*``, with Student's
    t for the few degrees of freedom a load test leaves. With few or small load tests the
    interval is wide: the data say little about a peak far beyond the largest cluster
    tested.
    """

    single_node: float
    """lambda: fitted throughput of one node (requests/s)."""
    contention: float
    coherency: float
    covariance: np.ndarray
    """3 x 3 covariance of (lambda, sigma, kappa)."""
    peak_nodes: float
    """N*, the cluster size of peak throughput (inf if the fitted kappa is 0)."""
    peak_throughput: float
    peak_interval: tuple
    """(low, high) for N* at the fit's confidence (high may be inf)."""
    confidence: float

    @property
    def standard_errors(self) -> tuple:
        """Standard errors of (lambda, sigma, kappa)."""
        return tuple(float(x) for x in np.sqrt(np.clip(np.diag(self.covariance), 0, None)))

    def throughput(self, nodes):
        """Return the fitted throughput ``lambda C(N)`` at *nodes*."""
        return self.single_node * usl(nodes, self.contention, self.coherency)


def _model(n, single, sigma, kappa):
    return single * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


def fit_usl(nodes, throughput, confidence: float = 0.95) -> USLFit:
    """Fit the USL ``X(N) = lambda N / (1 + sigma (N-1) + kappa N (N-1))`` to a load test.

    Each point is a cluster size and the throughput measured at saturation on it.
    Parameters are kept in their meaningful ranges (lambda > 0, 0 <= sigma <= 1,
    kappa >= 0) by a bounded least-squares fit (scipy's ``curve_fit``).

    Parameters
    ----------
    nodes, throughput : sequence of float
        At least four points (three parameters and one degree of freedom for the error),
        sizes of at least 1, throughputs above 0.
    confidence : float, default 0.95
        Coverage of the peak's interval, strictly between 0 and 1.

    Returns
    -------
    USLFit

    Raises
    ------
    ValueError
        If the data are too few, of unequal length, or out of range.

    Examples
    --------
    >>> n = [1, 2, 4, 8, 16, 32]
    >>> x = [100 * usl(k, 0.05, 0.002) for k in n]
    >>> fit = fit_usl(n, x)
    >>> round(fit.contention, 3), round(fit.coherency, 4), round(fit.peak_nodes, 1)
    (0.05, 0.002, 21.8)
    """
    sizes = _sizes(nodes)
    measured = np.asarray(throughput, dtype=float)
    if measured.shape != sizes.shape or sizes.size < 4:
        raise ValueError(f"throughput must have one value per cluster size, at least 4 "
                         f"(got {measured.size} values for {sizes.size} sizes)")
    if not np.all(np.isfinite(measured)) or np.any(measured <= 0):
        raise ValueError(f"throughput must be positive numbers (got {throughput!r})")
    level = arguments.real("confidence", confidence, low=0, high=1, low_open=True,
                           high_open=True)
    start = (float(measured[np.argmin(sizes)] / sizes.min()), 0.01, 1e-4)
    # Relative errors: a load test's noise grows with its throughput.
    params, covariance = curve_fit(_model, sizes, measured, p0=start, sigma=measured,
                                   bounds=([0, 0, 0], [np.inf, 1, np.inf]))
    single, sigma, kappa = (float(p) for p in params)
    covariance = np.nan_to_num(covariance, nan=0.0, posinf=0.0)
    peak = usl_peak(sigma, kappa)
    if math.isinf(peak):
        interval = (float(sizes.max()), math.inf)
        best = single / sigma if sigma > 0 else math.inf
    else:
        # Delta method on N* = sqrt((1 - sigma) / kappa): gradient in (sigma, kappa).
        gradient = np.array([-0.5 / (kappa * peak), -0.5 * peak / kappa])
        spread = math.sqrt(max(gradient @ covariance[1:, 1:] @ gradient, 0.0))
        z = float(student_t.ppf(0.5 + level / 2, sizes.size - 3))
        interval = (max(1.0, peak - z * spread),
                    peak + z * spread if peak - z * spread > 0 else math.inf)
        best = single * usl(peak, sigma, kappa)
    return USLFit(single, sigma, kappa, covariance, peak, best, interval, level)
