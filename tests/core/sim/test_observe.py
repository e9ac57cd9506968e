"""Observation: goodput vs throughput, queue lengths over time, traces as text and figure."""

import numpy as np
import pytest
from matplotlib.text import Annotation

from reactive_lab.core import Deterministic, Exponential
from reactive_lab.core.sim import (
    Simulation,
    crash_at,
    draw_sequence,
    format_trace,
    mean_queue_length,
    open_loop,
    queue_lengths,
    requests,
    summarise,
)


def test_overload_with_timeouts_keeps_throughput_while_goodput_collapses():
    """Servers stay busy answering callers who gave up: throughput counts it, goodput not."""
    sim = Simulation(seed=1)
    sim.spawn("s", lambda ctx, body: ctx.reply(body), service=Exponential(10.0))
    open_loop(sim, "s", rate=15.0, timeout=1.0)
    sim.run(until=300.0)
    s = summarise(sim, since=100.0)
    assert s.throughput == pytest.approx(10.0, rel=0.05)  # the server works flat out
    assert s.goodput < 1.0 < s.timed_out
    assert s.messages["late_replies"] > 1_000


def test_summary_counts_and_percentiles_on_a_light_load():
    sim = Simulation(seed=2)
    sim.spawn("s", lambda ctx, body: ctx.reply(body), service=Deterministic(0.5))
    open_loop(sim, "s", interarrival=Deterministic(1.0), requests=100)
    sim.run(until=200.0)
    s = summarise(sim, qs=(50, 99))
    assert (s.requests, s.ok, s.timed_out, s.pending, s.mean_attempts) == (100, 100, 0, 0, 1.0)
    assert s.latency == {50.0: 0.5, 99.0: 0.5}
    records = requests(sim, since=50.0)
    assert records.ids.size == 51 and np.all(records.latencies == 0.5)
    with pytest.raises(ValueError, match="since must be before the end of the run"):
        summarise(sim, since=300.0)


def test_queue_length_log_integrates_to_the_time_average():
    """Three messages at once to a 1 s server: queue 2 for 1 s, then 1 for 1 s."""
    sim = Simulation()
    sim.spawn("p", lambda ctx, body: None, service=Deterministic(1.0))
    for i in range(3):
        sim.post("cast", "p", "p", i)
    sim.run(until=4.0)
    times, lengths = queue_lengths(sim, "p")
    assert lengths.tolist() == [0, 1, 2, 1, 0]
    assert times.tolist() == [0.0, 0.0, 0.0, 1.0, 2.0]
    assert mean_queue_length(sim, "p") == pytest.approx((2 + 1) / 4)
    with pytest.raises(ValueError, match="record_queues=True"):
        quiet = Simulation(record_queues=False)
        quiet.spawn("p", lambda ctx, body: None)
        queue_lengths(quiet, "p")


def _traced_run():
    sim = Simulation(seed=4, latency=Deterministic(1.0), loss=0.3, trace=True)
    sim.spawn("s", lambda ctx, body: ctx.reply(body), service=Deterministic(0.5))
    open_loop(sim, "s", interarrival=Deterministic(2.0), requests=6, timeout=4.0, retries=2)
    crash_at(sim, "s", at=7.0, restart_after=1.0)
    sim.run(until=40.0)
    return sim


def test_per_request_records_count_what_happened_to_their_messages():
    """Each request's lost, dropped and duplicated messages match the trace's story."""
    sim = _traced_run()
    records = requests(sim)
    for request, lost, dropped, retried in zip(records.ids, records.lost, records.dropped,
                                               records.retried):
        events = [e for e in sim.trace if e.request == request]
        assert lost == sum(e.kind == "lose" for e in events)
        assert dropped == sum(e.kind == "drop" for e in events)
        assert retried == sum(e.kind == "timeout" for e in events) - (
            records.outcomes[records.ids == request][0] == "timed out")
    assert records.lost.sum() == sim.stats.lost > 0
    assert records.dropped.sum() == sim.stats.dropped > 0


def test_format_trace_tells_each_message_story():
    sim = _traced_run()
    text = format_trace(sim.trace)
    assert "LOST on the link" in text and "CRASH  fault schedule" in text
    assert "caller TIMED OUT" in text or "TIMEOUT" in text
    first = format_trace(sim.trace, request=1)
    kept = [e for e in sim.trace if e.request == 1 or e.kind in ("crash", "restart")]
    assert len(first.splitlines()) == len(kept) < len(sim.trace)
    with pytest.raises(ValueError, match="Simulation\\(trace=True\\)"):
        format_trace(Simulation().trace)


def test_draw_sequence_draws_one_arrow_per_message_and_marks_faults():
    sim = _traced_run()
    ax = draw_sequence(sim.trace, order=["clients", "s"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["clients", "s"]
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    ended = sum(e.kind in ("deliver", "lose", "drop") for e in sim.trace
                if e.message_kind != "timer")
    assert len(arrows) == ended
    assert ax.yaxis_inverted()  # time runs down
