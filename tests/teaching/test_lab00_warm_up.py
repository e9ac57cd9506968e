"""Tests particular to Lab 0 (warm-up): hints for its typical slips, partial credit, fresh
inputs. The tests every lab gets are in ``test_labs.py``."""

from reactive_lab.teaching.labs import lab00_warm_up as lab0


def test_warm_up_hints_at_a_common_mistake(capsys):
    """Measuring the window from time 0 gets a hint naming that mistake."""
    result = lab0.exercise_1(lambda arrivals, finishes: len(arrivals) / finishes.max())
    assert result.score == 0
    assert "first arrival" in capsys.readouterr().out


def test_warm_up_gives_partial_credit_without_the_overload_case(capsys):
    """The M/M/1 formula right but no math.inf for an overloaded server is partial."""
    result = lab0.exercise_4(lambda lam, mu: 1 / (mu - lam))
    assert (result.status, result.score) == ("partial", 1)
    assert "math.inf" in capsys.readouterr().out


def test_warm_up_checks_probe_fresh_inputs(capsys):
    """Copying the lab's own printed number is not enough: the checks use other inputs."""
    assert lab0.exercise_4(lambda lam, mu: 0.5).score == 0  # the lab's M/M/1 answer
    assert lab0.exercise_5(lambda lam, mu, target: 6).score == 0  # the lab's pool size
    capsys.readouterr()
