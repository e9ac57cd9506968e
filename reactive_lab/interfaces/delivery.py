"""Delivery semantics counted: how often an operation takes effect 0, 1 or 2+ times.

Picture a payment service behind a lossy network. Clients send payments; each payment has
an id, its *idempotency key*. The service writes each effect to a durable ledger (a
database), then replies. The network loses requests with one probability and replies with
another; the service may crash, losing whatever it keeps in memory. Four ways to deliver:

``"at-most-once"``
    send once, never retry: a lost request is a lost payment.
``"at-least-once"``
    retry until a reply comes: a lost *reply* makes the service pay twice.
``"exactly-once, keys in memory"``
    retry, and the service skips a payment whose key it has seen, in a set held in memory;
    a crash forgets the set, and a retry after it pays again.
``"exactly-once, keys with the effect"``
    retry, and the service checks the ledger itself, where the key is written in the same
    transaction as the effect: nothing is paid twice, crash or not.

>>> r = delivery_report("at-least-once", request_loss=0.1, reply_loss=0.1, attempts=5,
...                     operations=2_000, seed=1)
>>> r.none, r.more > 100                       # nothing lost; about 10% paid twice
(0, True)
>>> round(r.theory.more, 3)
0.1
"""

# Taught in chapters/02-interfaces/delivery.md; keep names in sync.

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reactive_lab.core import arguments
from reactive_lab.core.distributions import Deterministic, Exponential
from reactive_lab.core.sim import Simulation, crash_randomly, open_loop
from reactive_lab.theory.retries import EffectCounts, effect_counts

__all__ = ["SEMANTICS", "DeliveryReport", "delivery_report"]

SEMANTICS = ("at-most-once", "at-least-once", "exactly-once, keys in memory",
             "exactly-once, keys with the effect")
"""The delivery semantics :func:`delivery_report` simulates, weakest first."""

_HOP = 1.0
"""One-way network delay; the caller's timeout is three of them, above any round trip."""


@dataclass(frozen=True)
class DeliveryReport:
    """Effects per operation in one run: counts, and the closed form when there is one."""

    semantics: str
    operations: int
    none: int
    """Operations that never took effect (lost)."""
    once: int
    more: int
    """Operations that took effect two or more times (duplicated)."""
    acknowledged: int
    """Operations whose caller heard a reply."""
    theory: EffectCounts | None
    """Probabilities from :func:`reactive_lab.theory.effect_counts` (None with crashes)."""


def _service(semantics, ledger):
    """The payment service's handler: apply the effect, unless the key says it was done."""

    def pay(ctx, key):
        if semantics == "exactly-once, keys in memory":
            if key not in ctx.state:
                ledger[key] += 1
                ctx.state.add(key)  # lost if this process crashes
        elif semantics == "exactly-once, keys with the effect":
            if ledger[key] == 0:  # the key is stored with the effect, durably
                ledger[key] += 1
        else:
            ledger[key] += 1
        ctx.reply("paid")

    return pay


def delivery_report(semantics: str, request_loss: float = 0.0, reply_loss: float = 0.0,
                    attempts: int = 5, operations: int = 1_000, crash_every=None,
                    seed=None) -> DeliveryReport:
    """Run *operations* payments under *semantics* and count the effects of each.

    Parameters
    ----------
    semantics : str
        One of :data:`SEMANTICS`.
    request_loss, reply_loss : float
        Probability the network loses a request, a reply; each from 0 to 0.9.
    attempts : int, default 5
        Attempts at most per operation, 1 to 20 (ignored, taken as 1, for at-most-once).
    operations : int, default 1,000
        Payments, 10 to 100,000, one per unit of time on average.
    crash_every : float, optional
        Mean time between crashes of the service (each down for 2 units); None: none.
    seed : int, optional

    Raises
    ------
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> r = delivery_report("at-most-once", request_loss=0.2, operations=1_000, seed=2)
    >>> r.more, 150 < r.none < 250
    (0, True)
    """
    semantics = arguments.choice("semantics", semantics, SEMANTICS)
    request_loss = arguments.real("request_loss", request_loss, low=0, high=0.9)
    reply_loss = arguments.real("reply_loss", reply_loss, low=0, high=0.9)
    attempts = arguments.integer("attempts", attempts, low=1, high=20)
    operations = arguments.integer("operations", operations, low=10, high=100_000)
    if crash_every is not None:
        crash_every = arguments.positive("crash_every", crash_every)
    if semantics == "at-most-once":
        attempts = 1
    sim = Simulation(seed=seed, latency=Deterministic(_HOP), record_queues=False)
    ledger: Counter = Counter()
    sim.spawn("service", _service(semantics, ledger), init=set)
    clients = open_loop(sim, "service", rate=1.0, requests=operations, body=lambda key: key,
                        timeout=3 * _HOP, retries=attempts - 1)
    sim.network.connect("clients", "service", both_ways=False, loss=request_loss)
    sim.network.connect("service", "clients", both_ways=False, loss=reply_loss)
    if crash_every is not None:
        crash_randomly(sim, "service", time_to_crash=Exponential(1.0 / crash_every),
                       time_to_restart=Deterministic(2.0))
    sim.run(until=operations * 4.0 + 3 * _HOP * attempts + 10.0)
    counts = Counter(min(ledger[key], 2) for key in clients.ids)
    return DeliveryReport(
        semantics=semantics, operations=len(clients.ids), none=counts[0], once=counts[1],
        more=counts[2], acknowledged=clients.outcomes.count("ok"),
        theory=None if crash_every is not None else _theory(semantics, request_loss,
                                                             reply_loss, attempts),
    )


def _theory(semantics, request_loss, reply_loss, attempts) -> EffectCounts:
    plain = effect_counts(request_loss, reply_loss, attempts)
    if semantics in ("at-most-once", "at-least-once"):
        return plain
    # Deduplicated: the same attempts, but every effect after the first is skipped.
    return EffectCounts(none=plain.none, once=1 - plain.none, more=0.0,
                        mean=1 - plain.none, acknowledged=plain.acknowledged)
