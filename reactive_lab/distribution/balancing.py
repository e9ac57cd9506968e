# Taught in chapters/01-distribution/architecture.md; keep names in sync.
"""Spreading requests over identical nodes: random, round robin, or one shared queue.

Relay runs several identical logic nodes behind a load balancer. How the balancer picks a
node decides the latency, at the same load on the same nodes:

- **random**: each node sees a Poisson stream at ``1/k`` of the rate, an M/M/1 queue;
- **round robin**: each node sees every *k*-th request, so gaps are Erlang-*k*, far more
  regular: an E_k/M/1 queue, whose response time is exponential with rate
  ``mu (1 - sigma)``, where ``sigma = (k lambda / (k lambda + mu (1 - sigma)))^k`` for
  per-node rate lambda;
- **shared queue**: requests wait in one queue and go to whichever node frees first, the
  pooled M/M/k queue of the queues chapter. Least-loaded dispatch approaches it.

>>> import reactive_lab as rl
>>> r = rl.distribution.dispatch_report(4, load=0.8)
>>> [round(r.mean_ms[p], 1) for p in rl.distribution.POLICIES]
[50.0, 32.7, 17.5]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from reactive_lab import relay, theory
from reactive_lab.core import Exponential, arguments, rng
from reactive_lab.core.station import fifo_start_times

__all__ = [
    "POLICIES",
    "Dispatch",
    "dispatch_report",
    "round_robin_sigma",
    "simulate_dispatch",
]

POLICIES = ("random", "round robin", "shared queue")
"""Dispatch policies, from no coordination to a perfectly informed one."""

MAX_NODES = 64


def _check(nodes, load):
    nodes = arguments.integer("nodes", nodes, low=1, high=MAX_NODES)
    load = arguments.real("load", load, low=0, high=1, low_open=True, high_open=True)
    return nodes, load


def round_robin_sigma(nodes, load):
    """Return sigma of the E_k/M/1 queue a node sees under round robin (k = *nodes*).

    The root in (0, 1) of ``sigma = (k rho / (k rho + 1 - sigma))^k`` in units of the
    service rate; the response time is then exponential with rate ``mu (1 - sigma)``. For
    one node it is the M/M/1 value, ``sigma = rho``.

    Examples
    --------
    >>> round(round_robin_sigma(1, 0.8), 10)
    0.8
    """
    nodes, load = _check(nodes, load)
    rate = nodes * load   # the whole stream, in units of one node's service rate
    return brentq(lambda s: (rate / (rate + 1 - s)) ** nodes - s, 0.0, 1.0 - 1e-12,
                  xtol=1e-14) if load < 1 else 1.0


@dataclass(frozen=True)
class Dispatch:
    """Response times of *nodes* identical nodes at one *load*, per policy (milliseconds)."""

    nodes: int
    load: float
    mean_ms: dict
    p99_ms: dict


def dispatch_report(nodes, load, service_rate=relay.LOGIC_SERVICE_RATE) -> Dispatch:
    """Return mean and p99 response time under each of :data:`POLICIES`, from theory.

    Parameters
    ----------
    nodes : int
        Identical nodes, 1 to 64.
    load : float
        Utilisation of each node, in (0, 1).
    service_rate : float, default Relay's logic node (100 requests/s)

    Returns
    -------
    Dispatch

    Examples
    --------
    >>> import reactive_lab as rl
    >>> r = rl.distribution.dispatch_report(1, 0.5)
    >>> r.mean_ms["random"] == r.mean_ms["round robin"] == r.mean_ms["shared queue"]
    True
    """
    nodes, load = _check(nodes, load)
    mu = arguments.positive("service_rate", service_rate)
    single = theory.mm1(load * mu, mu)
    pooled = theory.mmc(nodes * load * mu, mu, nodes)
    drain = mu * (1 - round_robin_sigma(nodes, load))   # E_k/M/1 response ~ Exp(drain)
    mean = {"random": single.mean_response, "round robin": 1 / drain,
            "shared queue": pooled.mean_response}
    p99 = {"random": single.response_percentile(99), "round robin": np.log(100) / drain,
           "shared queue": pooled.response_percentile(99)}
    return Dispatch(nodes, load, {p: 1000 * float(v) for p, v in mean.items()},
                    {p: 1000 * float(v) for p, v in p99.items()})


def simulate_dispatch(policy, nodes, load, requests=100_000,
                      service_rate=relay.LOGIC_SERVICE_RATE,
                      seed=None):
    """Return simulated response times (ms) of *requests* dispatched by *policy*.

    Poisson arrivals at ``nodes * load * service_rate``, exponential service; random picks
    a node uniformly, round robin takes them in turn, shared queue is one FIFO queue
    served by all nodes. Response times come back in arrival order.

    Examples
    --------
    >>> t = simulate_dispatch("round robin", 2, 0.5, requests=1_000, seed=1)
    >>> t.shape
    (1000,)
    """
    policy = arguments.choice("policy", policy, POLICIES)
    nodes, load = _check(nodes, load)
    requests = arguments.integer("requests", requests, low=1, high=5_000_000)
    mu = arguments.positive("service_rate", service_rate)
    generator = rng(seed)
    arrivals = np.cumsum(Exponential(nodes * load * mu).sample(generator, requests))
    work = Exponential(mu).sample(generator, requests)
    if policy == "shared queue":
        return 1000 * (fifo_start_times(arrivals, work, nodes) + work - arrivals)
    if policy == "random":
        chosen = generator.integers(0, nodes, requests)
    else:
        chosen = np.arange(requests) % nodes
    response = np.empty(requests)
    for node in range(nodes):
        mine = chosen == node
        response[mine] = fifo_start_times(arrivals[mine], work[mine]) + work[mine] - arrivals[mine]
    return 1000 * response
