"""Processes: cast, call with timeout, timers, crashes, monitors and links, mailboxes."""

import pytest

from reactive_lab.core import Deterministic
from reactive_lab.core.sim import TIMED_OUT, Down, EventLimitError, Simulation, crash_at


def _recorder(log):
    def handler(ctx, body):
        log.append((ctx.now, ctx.message.kind, body))
    return handler


def test_call_returns_the_reply_and_blocks_the_worker_meanwhile():
    """A worker blocked in a call takes no other message until the reply comes back."""
    log = []
    sim = Simulation(latency=Deterministic(1.0))
    sim.spawn("db", lambda ctx, body: ctx.reply(body.upper()), service=Deterministic(2.0))

    def front(ctx, body):
        ctx.call("db", body, timeout=10.0, then=lambda ctx, r: log.append((ctx.now, r)))

    sim.spawn("front", front)
    sim.post("cast", "front", "front", "a")
    sim.post("cast", "front", "front", "b")
    sim.run(until=20.0)
    # a: 1 there + 2 work + 1 back = 4; b waits for a's worker, then 4 more.
    assert log == [(4.0, "A"), (8.0, "B")]


def test_a_timed_out_call_learns_only_that_it_timed_out():
    """The caller gets TIMED_OUT; the late reply is counted, never handed over."""
    results = []
    sim = Simulation(latency=Deterministic(1.0))
    sim.spawn("slow", lambda ctx, body: ctx.reply("done"), service=Deterministic(5.0))
    sim.spawn("caller", lambda ctx, body: ctx.call("slow", body, timeout=3.0,
                                                   then=lambda ctx, r: results.append(r)))
    sim.post("cast", "caller", "caller", "go")
    sim.run(until=20.0)
    assert results == [TIMED_OUT]
    assert sim.stats.timeouts == 1 and sim.stats.late_replies == 1


def test_forward_lets_the_last_hop_reply_to_the_original_caller():
    """The OTP idiom of passing From along: the reply skips the middle process."""
    results = []
    sim = Simulation(trace=True)
    sim.spawn("middle", lambda ctx, body: ctx.forward("end", body + 1))
    sim.spawn("end", lambda ctx, body: ctx.reply(body * 10))
    sim.spawn("start", lambda ctx, body: ctx.call("middle", body, timeout=1.0,
                                                  then=lambda ctx, r: results.append(r)))
    sim.post("cast", "start", "start", 4)
    sim.run(until=2.0)
    assert results == [50]
    replies = [(e.sender, e.to) for e in sim.trace if e.message_kind == "reply"]
    assert set(replies) == {("end", "start")}


def test_replying_to_a_cast_is_refused():
    sim = Simulation()
    sim.spawn("p", lambda ctx, body: ctx.reply("hi"))
    sim.post("cast", "p", "p", "x")
    with pytest.raises(ValueError, match="reply needs a message sent with call"):
        sim.run(until=1.0)


def test_timers_arrive_after_their_delay_and_die_with_a_crash():
    log = []
    sim = Simulation()
    sim.spawn("p", lambda ctx, body: log.append((ctx.now, body)) if body != "arm"
              else (ctx.timer(2.0, "ring"), ctx.timer(8.0, "late")))
    sim.post("cast", "p", "p", "arm")
    crash_at(sim, "p", at=5.0, restart_after=1.0)
    sim.run(until=10.0)
    assert log == [(2.0, "ring")]


def test_a_crash_loses_state_mailbox_and_work_and_restart_starts_fresh():
    log = []

    def count(ctx, body):
        ctx.state += 1
        log.append((ctx.now, ctx.state))

    sim = Simulation()
    sim.spawn("counter", count, init=0, service=Deterministic(1.0))
    for _ in range(4):
        sim.post("cast", "counter", "counter", "tick")
    crash_at(sim, "counter", at=2.5, restart_after=1.0)
    sim.run(until=3.0)
    sim.post("cast", "counter", "counter", "tick")  # while it is down: vanishes
    sim.run(until=4.0)
    sim.post("cast", "counter", "counter", "tick")  # after the restart at 3.5
    sim.run(until=10.0)
    # Two handled before the crash; the one in service and the one queued are discarded;
    # after the restart the count starts again from init.
    assert log == [(1.0, 1), (2.0, 2), (5.0, 1)]
    assert sim.stats.discarded == 2 and sim.stats.dropped_crashed == 1


def test_monitors_get_a_down_message_and_links_crash_together():
    log = []
    sim = Simulation()
    sim.spawn("watcher", _recorder(log))
    sim.spawn("worker", lambda ctx, body: ctx.crash("bad input"))
    sim.spawn("partner", lambda ctx, body: None)
    sim.spawn("trapper", _recorder(log), trap_exits=True)
    sim.monitor("watcher", "worker")
    sim.link("worker", "partner")
    sim.link("worker", "trapper")
    sim.post("cast", "watcher", "worker", "boom")
    sim.run(until=1.0)
    assert ("down", Down("worker", "bad input")) in [(k, b) for _, k, b in log]
    assert ("exit", Down("worker", "bad input")) in [(k, b) for _, k, b in log]
    assert not sim.processes["partner"].alive
    assert sim.processes["trapper"].alive


def test_monitoring_a_dead_process_reports_noproc_at_once():
    log = []
    sim = Simulation()
    sim.spawn("watcher", _recorder(log))
    sim.spawn("gone", lambda ctx, body: None)
    sim.crash("gone")
    sim.monitor("watcher", "gone")
    sim.run(until=1.0)
    assert log == [(0.0, "down", Down("gone", "noproc"))]


def test_an_exception_in_a_handler_crashes_it_when_asked_to():
    sim = Simulation()
    sim.spawn("fragile", lambda ctx, body: 1 / 0, on_error="crash")
    sim.post("cast", "fragile", "fragile", "x")
    sim.run(until=1.0)
    assert not sim.processes["fragile"].alive


def test_a_bounded_mailbox_drops_what_does_not_fit():
    sim = Simulation()
    sim.spawn("p", lambda ctx, body: None, service=Deterministic(1.0), mailbox=2)
    for i in range(5):
        sim.post("cast", "p", "p", i)
    sim.run(until=0.5)
    # one in service, two waiting, two dropped
    assert sim.stats.dropped_full == 2 and len(sim.processes["p"].mailbox) == 2


def test_the_event_budget_stops_a_runaway_run():
    sim = Simulation(max_events=100)
    sim.spawn("loop", lambda ctx, body: ctx.send("loop", body))
    sim.post("cast", "loop", "loop", "again")
    with pytest.raises(EventLimitError, match="more than max_events=100 events"):
        sim.run(until=1e9)


def test_the_same_seed_gives_the_same_trace():
    def one(seed):
        from reactive_lab.core import Exponential
        from reactive_lab.core.sim import open_loop
        sim = Simulation(seed=seed, latency=Exponential(1.0), loss=0.2, duplicate=0.1,
                         reorder=0.3, trace=True)
        sim.spawn("s", lambda ctx, body: ctx.reply(body), service=Exponential(2.0))
        open_loop(sim, "s", rate=1.0, timeout=4.0, retries=2)
        sim.run(until=50.0)
        return sim.trace

    assert one(3) == one(3)
    assert one(3) != one(4)


@pytest.mark.parametrize(
    "kwargs, rule",
    [
        ({"workers": 0}, "workers must be an int from 1 to 10,000"),
        ({"mailbox": 0}, "mailbox must be an int of at least 1"),
        ({"service": 2.0}, "service must be a distribution"),
        ({"on_error": "ignore"}, "on_error must be one of 'raise', 'crash'"),
    ],
)
def test_spawn_refuses_bad_parameters(kwargs, rule):
    with pytest.raises(ValueError, match=rule):
        Simulation().spawn("p", lambda ctx, body: None, **kwargs)


@pytest.mark.parametrize(
    "kwargs, rule",
    [
        ({"loss": 1.5}, "loss must be a number from 0 to 1"),
        ({"duplicate": -0.1}, "duplicate must be a number from 0 to 1"),
        ({"latency": 1.0}, "latency must be a distribution"),
        ({"max_events": 0}, "max_events must be an int from 1 to 50,000,000"),
        ({"seed": -1}, "seed must be a non-negative int or None"),
    ],
)
def test_simulation_refuses_bad_parameters(kwargs, rule):
    with pytest.raises(ValueError, match=rule):
        Simulation(**kwargs)


def test_names_must_be_new_and_known():
    sim = Simulation()
    sim.spawn("p", lambda ctx, body: None)
    with pytest.raises(ValueError, match="name must be unused"):
        sim.spawn("p", lambda ctx, body: None)
    with pytest.raises(ValueError, match="to must be the name of a process .*known: p"):
        sim.post("cast", "p", "nobody", "x")
    with pytest.raises(ValueError, match="until must be a number above 0"):
        sim.run(until=0)
    with pytest.raises(ValueError, match="timeout must be a number above 0"):
        sim.spawn("q", lambda ctx, body: ctx.call("p", 1, timeout=0))
        sim.post("cast", "q", "q", "go")
        sim.run(until=1.0)


def test_crash_stops_the_handler_like_exit():
    """Code after ctx.crash() does not run: nothing is sent after the crash."""
    sim = Simulation()
    sim.spawn("sink", lambda ctx, body: None)

    def doomed(ctx, body):
        ctx.crash("giving up")
        ctx.send("sink", "after death")

    sim.spawn("doomed", doomed)
    sim.post("cast", "doomed", "doomed", "go")
    sim.run(until=1.0)
    assert sim.stats.sent == 1 and sim.processes["sink"].handled == 0
