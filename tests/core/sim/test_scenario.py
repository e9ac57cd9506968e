"""The learner-code runner passes a correct exactly-once ledger and finds two subtle bugs.

The three handlers differ only in how they remember which payments they applied:

- ``ledger`` remembers every payment id: a retry or a duplicate is acknowledged again but
  not applied again. Correct.
- ``ledger_without_dedup`` applies every payment message it gets: fine on a perfect
  network, wrong as soon as a reply is lost (the client retries) or a message duplicated.
- ``ledger_remembering_last`` remembers only the last payment applied: fine with one
  client and a FIFO network, wrong when a late copy of an older payment arrives after a
  newer one, which two clients and reordering make happen.
"""

import re

import pytest

from reactive_lab.core.sim import HandlerError, Scenario, check_handler, run_scenario

FAULTS = Scenario(clients=3, operations=8, loss=0.1, duplicate=0.05, reorder=0.2)


def _reply(message, **body):
    return {"dest": message["src"], "body": {**body, "in_reply_to": message["body"]["msg_id"]}}


def ledger(state, message):
    body = message["body"]
    if body["type"] == "init":
        return {"applied": []}, []
    if body["type"] == "read":
        return state, [_reply(message, type="read_ok", applied=state["applied"])]
    if body["payment"] not in state["applied"]:
        state["applied"].append(body["payment"])
    return state, [_reply(message, type="pay_ok")]


def ledger_without_dedup(state, message):
    body = message["body"]
    if body["type"] == "init":
        return {"applied": []}, []
    if body["type"] == "read":
        return state, [_reply(message, type="read_ok", applied=state["applied"])]
    state["applied"].append(body["payment"])
    return state, [_reply(message, type="pay_ok")]


def ledger_remembering_last(state, message):
    body = message["body"]
    if body["type"] == "init":
        return {"applied": [], "last": None}, []
    if body["type"] == "read":
        return state, [_reply(message, type="read_ok", applied=state["applied"])]
    if body["payment"] != state["last"]:
        state["applied"].append(body["payment"])
        state["last"] = body["payment"]
    return state, [_reply(message, type="pay_ok")]


def test_correct_ledger_holds_over_many_faulty_runs():
    """Exactly-once effect from at-least-once delivery plus deduplication holds."""
    verdict = check_handler(ledger, scenario=FAULTS, runs=200, seed=0)
    assert verdict.holds, str(verdict)
    assert str(verdict).startswith("holds over 200 seeded runs")


@pytest.mark.parametrize("wrong", [ledger_without_dedup, ledger_remembering_last])
def test_subtly_wrong_ledgers_are_caught_with_a_readable_trace(wrong):
    """Each bug is found within the runs and reported as a short trace naming the payment."""
    verdict = check_handler(wrong, scenario=FAULTS, runs=200, seed=0)
    assert not verdict.holds
    failure = verdict.failure
    assert "applied 2 times" in failure.violation
    payment = failure.violation.split()[1]
    report = str(verdict)
    assert report.startswith(f"fails: payment {payment} was applied 2 times")
    assert failure.operations <= FAULTS.operations
    assert f"'payment': '{payment}'" in report  # the trace shows the payment's messages
    assert "delivered" in report


def test_remembering_last_is_right_on_a_quiet_network():
    """The second bug hides without concurrency or faults: why seeded faults are needed."""
    quiet = Scenario(clients=1, operations=8)
    assert check_handler(ledger_remembering_last, scenario=quiet, runs=50).holds


def test_shrinking_finds_a_run_no_larger_than_the_first_failure():
    """The reported run fails, and no smaller run with its seed does."""
    failure = check_handler(ledger_without_dedup, scenario=FAULTS, runs=200).failure
    for operations in range(1, failure.operations):
        smaller = Scenario(**{**FAULTS.__dict__, "operations": operations})
        assert run_scenario(ledger_without_dedup, scenario=smaller, seed=failure.seed)[0] is None


def test_same_seed_gives_the_same_trace():
    """Runs are seeded: the same seed replays the same messages at the same times."""
    first = run_scenario(ledger, scenario=FAULTS, seed=5)[2]
    second = run_scenario(ledger, scenario=FAULTS, seed=5)[2]
    assert first == second and len(first) > 50


def test_crashes_lose_an_in_memory_ledger():
    """State lost in a crash breaks even the correct ledger: it needs durable storage."""
    crashing = Scenario(clients=2, operations=8, crash_every=20.0, restart_after=2.0)
    verdict = check_handler(ledger, scenario=crashing, runs=100)
    assert not verdict.holds
    assert "acknowledged but never applied" in verdict.failure.violation
    assert "CRASH" in str(verdict)


@pytest.mark.parametrize(
    "handler, message",
    [
        (lambda state, message: None, "must return (state, messages)"),
        (lambda state, message: 1 / 0, "raised ZeroDivisionError"),
        (lambda state, message: ({1, 2}, []), "state must be plain data"),
        (lambda state, message: (state, [{"to": "c1"}]), "each message sent must be"),
        (lambda state, message: (state, [{"dest": message["dest"], "body": {}}]),
         "the handler kept sending messages"),
    ],
    ids=["returns None", "raises", "state is a set", "message without dest", "endless"],
)
def test_malformed_handlers_get_a_clear_error(handler, message):
    """A broken handler gets one sentence saying what it did wrong, not a deep traceback."""
    with pytest.raises(HandlerError, match=re.escape(message)):
        check_handler(handler, runs=1)


@pytest.mark.parametrize(
    "field, value, rule",
    [
        ("clients", 0, "clients must be an int from 1 to 20"),
        ("loss", 1.5, "loss must be a number from 0 to 1"),
        ("loss", 0.95, "loss must be a number of at most 0.9"),
        ("timeout", 0, "timeout must be a number above 0"),
        ("nodes", ["n1", "n1"], "nodes must be a non-empty sequence of distinct names"),
    ],
)
def test_bad_scenarios_are_refused(field, value, rule):
    """Each bad scenario parameter is named with the rule it breaks."""
    with pytest.raises(ValueError, match=rule):
        Scenario(**{field: value})


def test_check_handler_refuses_a_non_function():
    with pytest.raises(ValueError, match="handler must be a function"):
        check_handler("ledger")
