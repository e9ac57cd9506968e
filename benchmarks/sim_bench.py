"""Time the message core against an idiomatic simpy model of the same request path.

The system: Relay's three-hop request path. A phone's request crosses a link to a
front-end node (``HOP_MS["front-end"]`` of work), a link to a logic node
(``HOP_MS["logic"]``), a link to the user directory (``LOOKUP_MS``), and the reply comes
back to the phone across one more link (the directory answers the caller directly, the
OTP idiom of passing ``From`` along). Requests arrive as a Poisson stream at
``LOGIC_ARRIVAL_RATE``; each node is one worker with a FIFO mailbox. Every link delays a
message by :data:`LINK_MS`. The phone waits :data:`TIMEOUT_MS` for the reply and retries
up to :data:`RETRIES` times. Two scenarios: no faults, and every link losing 10% of
messages.

Two models of it, run alternately in this same process:

- **core**: ``reactive_lab.core.sim``: four processes, the phone a load generator;
- **idiomatic simpy**: a process per request, which for each attempt starts a process that
  walks the path (``yield env.timeout(link)``, ``with node.request(): yield ...``) and
  waits on ``attempt | env.timeout(timeout)``.

Both draw from the same distributions through the same buffered random streams
(:class:`reactive_lab.core.sim.streams.Seeds`), so they do the same work on average and
only the machinery differs; the speed-up
is the median over repeats of (simpy time / core time). Run alone with
``python -m benchmarks.sim_bench`` (prints JSON), or through ``make bench``.
"""

from __future__ import annotations

import json
import statistics
import time

import simpy

from reactive_lab import relay
from reactive_lab.core import Deterministic, Exponential, LogNormal
from reactive_lab.core.sim.streams import Seeds
from reactive_lab.queues.messages import relay_path
from reactive_lab.relay import HOP_MS, LOGIC_ARRIVAL_RATE, LOOKUP_MS

__all__ = ["bench_sim", "core_path", "simpy_path"]

LINK_MS = relay.LINK_MS
TIMEOUT_MS = relay.LOOKUP_TIMEOUT_MS
RETRIES = relay.LOOKUP_RETRIES

ARRIVAL = Exponential(LOGIC_ARRIVAL_RATE / 1000)  # per ms
HOPS = [("front-end", Deterministic(HOP_MS["front-end"])),
        ("logic", Deterministic(HOP_MS["logic"])),
        ("directory", LogNormal(mean=LOOKUP_MS.mean, cv=LOOKUP_MS.cv))]


def core_path(requests: int, loss: float, seed: int) -> float:
    """Run the path on the core (the page's model); return the fraction of requests answered."""
    sim = relay_path(loss, requests, seed, record_queues=False)
    return sim.processes["phone"].outcomes.count("ok") / requests


def simpy_path(requests: int, loss: float, seed: int) -> float:
    """Run the same path as a simpy process per request; return the fraction answered."""
    # The core's buffered random streams, so that only the simulation machinery differs.
    seeds = Seeds(seed)
    gap, coin = seeds.draws(ARRIVAL), seeds.uniforms()
    env = simpy.Environment()
    nodes = [(simpy.Resource(env, capacity=1), seeds.draws(work)) for _, work in HOPS]
    answered = []

    def attempt(reply):
        for node, work in nodes:
            if coin() < loss:
                return  # lost on the link: nobody learns of it
            yield env.timeout(LINK_MS)
            with node.request() as turn:
                yield turn
                yield env.timeout(work())
        if coin() >= loss:
            yield env.timeout(LINK_MS)
            if not reply.triggered:
                reply.succeed()

    def request():
        for _ in range(RETRIES + 1):
            reply = env.event()
            env.process(attempt(reply))
            yield reply | env.timeout(TIMEOUT_MS)
            if reply.triggered:
                answered.append(True)
                return

    def source():
        for _ in range(requests):
            yield env.timeout(gap())
            env.process(request())

    env.process(source())
    env.run()
    return len(answered) / requests


def _seconds(model, requests, loss, seed) -> tuple[float, float]:
    start = time.perf_counter()
    answered = model(requests, loss, seed)
    return time.perf_counter() - start, answered


def bench_sim(requests: int = 20_000, repeats: int = 5) -> list[dict]:
    """Return one record per model and scenario: requests per second and the speed-up.

    Parameters
    ----------
    requests : int, default 20_000
        Requests per run.
    repeats : int, default 5
        Timed runs per model and scenario, alternating (after one untimed run each).

    Returns
    -------
    list of dict
        Keys ``model``, ``scenario``, ``requests``, ``median_seconds``,
        ``requests_per_s``, ``answered`` (fraction) and ``speedup_vs_idiomatic_simpy``.

    Examples
    --------
    >>> records = bench_sim(requests=500, repeats=1)
    >>> sorted({r["scenario"] for r in records})
    ['10% loss, 3 retries', 'no faults']
    """
    if requests < 1 or repeats < 1:
        raise ValueError(f"requests and repeats must be positive (got {requests}, {repeats})")
    records = []
    for scenario, loss in (("no faults", 0.0), (f"10% loss, {RETRIES} retries", 0.1)):
        for model in (core_path, simpy_path):
            model(requests // 10 + 1, loss, 0)  # warm caches and imports
        core, baseline = [], []
        for repeat in range(repeats):
            core.append(_seconds(core_path, requests, loss, repeat))
            baseline.append(_seconds(simpy_path, requests, loss, repeat))
        speedup = statistics.median(s[0] / c[0] for s, c in zip(baseline, core))
        for name, runs, ratio in (("core.sim", core, speedup), ("idiomatic simpy", baseline, 1.0)):
            median = statistics.median(seconds for seconds, _ in runs)
            records.append({
                "model": name,
                "scenario": scenario,
                "requests": requests,
                "median_seconds": median,
                "requests_per_s": requests / median,
                "answered": statistics.mean(answered for _, answered in runs),
                "speedup_vs_idiomatic_simpy": ratio,
            })
    return records


if __name__ == "__main__":
    print(json.dumps(bench_sim(), indent=2))
