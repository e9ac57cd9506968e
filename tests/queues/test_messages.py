"""Relay's lookup path on the simulation core: what the Foundations page draws and glues."""

import pytest

import reactive_lab as rl


def test_without_loss_every_lookup_is_answered_at_the_first_attempt():
    phone = rl.queues.relay_path(0.0, requests=2_000, seed=3).processes["phone"]
    assert phone.outcomes.count("ok") == 2_000
    assert set(phone.attempts) == {1}


@pytest.mark.parametrize("loss", [0.1, 0.3])
def test_lookups_never_answered_match_the_closed_form(loss):
    """An attempt needs its 4 messages through (3 hops and the reply): it succeeds with
    q = (1 - loss)^4, so a lookup fails all 1 + RETRIES attempts with (1 - q)^(1 + RETRIES)."""
    requests = 4_000
    phone = rl.queues.relay_path(loss, requests=requests, seed=11).processes["phone"]
    q = (1 - loss) ** 4
    never = (1 - q) ** (1 + rl.relay.LOOKUP_RETRIES)
    failed = phone.outcomes.count("timed out")
    assert failed + phone.outcomes.count("ok") == requests  # none left pending
    assert rl.core.wilson_ci(failed, requests, confidence=0.999).contains(never)


def test_same_seed_same_run():
    first = rl.queues.relay_path(0.2, requests=300, seed=5).processes["phone"]
    again = rl.queues.relay_path(0.2, requests=300, seed=5).processes["phone"]
    assert first.ends == again.ends and first.attempts == again.attempts


@pytest.mark.parametrize(("loss", "requests", "message"), [
    (1.5, 10, r"loss must be a number from 0 to 1 \(got 1.5\)"),
    (0.1, 0, r"requests must be an int from 1 to 1,000,000 \(got 0\)"),
])
def test_bad_arguments_are_refused(loss, requests, message):
    with pytest.raises(ValueError, match=message):
        rl.queues.relay_path(loss, requests=requests, seed=1)
