"""Conservation of messages over random fault schedules (a hypothesis property).

Every message sent ends in exactly one place: delivered to a live process, lost on a link,
dropped (crashed, unreachable or full destination), or still in flight when the run stops.
None is delivered twice unless the network duplicates.
"""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from reactive_lab.core import Exponential
from reactive_lab.core.sim import (
    TIMED_OUT,
    Simulation,
    crash_at,
    open_loop,
    partition,
)

NODES = ["front", "middle", "back"]


def _front(ctx, body):
    def answer(ctx, result):
        ctx.reply("sorry" if result is TIMED_OUT else result)

    ctx.call("middle", body, timeout=3.0, then=answer)


def _middle(ctx, body):
    if ctx.message.kind == "down":
        return
    ctx.send("back", body)
    if ctx.message.kind != "timer":
        ctx.timer(0.5, "tick")
    if ctx.message.reply_to:
        ctx.reply(body)


def _back(ctx, body):
    pass


def _run(seed, loss, duplicate, reorder, crashes, cuts, until):
    sim = Simulation(seed=seed, latency=Exponential(2.0), loss=loss, duplicate=duplicate,
                     reorder=reorder, trace=True)
    sim.spawn("front", _front, service=Exponential(4.0), workers=2)
    sim.spawn("middle", _middle, service=Exponential(6.0))
    sim.spawn("back", _back, service=Exponential(3.0), mailbox=3)
    sim.monitor("middle", "back")
    open_loop(sim, "front", rate=1.5, timeout=5.0, retries=2)
    for node, at, down in crashes:
        crash_at(sim, node, at=at, restart_after=down)
    for node, start, length in cuts:
        partition(sim, [node], start=start, end=start + length)
    sim.run(until=until)
    return sim


faults = st.fixed_dictionaries({
    "seed": st.integers(0, 10_000),
    "loss": st.sampled_from([0.0, 0.05, 0.3]),
    "duplicate": st.sampled_from([0.0, 0.1, 0.4]),
    "reorder": st.sampled_from([0.0, 0.5]),
    "crashes": st.lists(st.tuples(st.sampled_from(NODES), st.floats(0, 40),
                                  st.one_of(st.none(), st.floats(0.1, 10))), max_size=4),
    "cuts": st.lists(st.tuples(st.sampled_from(NODES), st.floats(0, 40), st.floats(0.1, 15)),
                     max_size=3),
    "until": st.floats(1.0, 60.0),
})


@settings(max_examples=80, deadline=None)
@given(faults)
def test_every_message_is_accounted_for_exactly_once(case):
    """Totals balance, and per message: one fate per copy, one delivery unless duplicated."""
    sim = _run(**case)
    stats = sim.stats
    assert stats.balanced(), stats.as_dict()
    sent = Counter(e.message for e in sim.trace if e.kind == "send")
    copies = Counter(e.message for e in sim.trace if e.kind == "duplicate")
    fates = Counter(e.message for e in sim.trace if e.kind in ("deliver", "lose", "drop"))
    network_messages = [m for m in sent if sent[m] == 1]
    assert len(network_messages) == len(sent)  # each message id is sent once
    in_flight = 0
    for message in sent:
        ends = fates[message]
        assert ends <= 1 + copies[message], message
        in_flight += 1 + copies[message] - ends
    assert in_flight == stats.in_flight
    if case["duplicate"] == 0:
        delivered = Counter(e.message for e in sim.trace if e.kind == "deliver")
        assert max(delivered.values(), default=0) <= 1
        assert stats.duplicated == 0


def test_duplication_does_deliver_some_messages_twice():
    """The property's "unless duplication is on" is not vacuous: copies do arrive."""
    sim = _run(seed=1, loss=0.0, duplicate=0.4, reorder=0.0, crashes=[], cuts=[], until=40.0)
    delivered = Counter(e.message for e in sim.trace if e.kind == "deliver")
    assert max(delivered.values()) == 2
    assert sim.stats.balanced()
