"""What every lab's checks must show about their probes, for the lab tests to assert.

Checks draw their probes from ``fb.rng``: a fixed seed in Jupyter, the grader's secret one
when graded. So float32 rounding passes, and a table of the answers Jupyter's feedback
shows does not carry over to the grader.
"""

from __future__ import annotations

from reactive_lab.teaching.answers import local_answer

GRADER_SEEDS = (987_654_321, 2**62 + 12_345)
"""Two seeds standing in for the grader's secret ones."""


def assert_full_marks_everywhere(check, answer) -> None:
    """*answer* scores full marks in Jupyter and under each grader seed."""
    assert check(answer, quiet=True).score == check.max_score
    for seed in GRADER_SEEDS:
        assert check.grade([local_answer(answer)], seed).score == check.max_score


def assert_a_table_does_not_carry_over(check, solution, default) -> None:
    """Answers recorded from Jupyter's probes pass there and score 0 under the grader's
    seeds; *default* is what the table answers for a probe it never saw."""
    table = {}

    def recording(*args):
        table[repr(args)] = value = solution(*args)
        return value

    def from_table(*args):
        return table.get(repr(args), default)

    assert check(recording, quiet=True).status == "pass"
    assert_passes_in_jupyter_only(check, from_table)


def assert_passes_in_jupyter_only(check, answer) -> None:
    """*answer* passes in Jupyter and scores 0 under each grader seed."""
    assert check(answer, quiet=True).status == "pass"
    for seed in GRADER_SEEDS:
        assert check.grade([local_answer(answer)], seed).score == 0


def assert_jupyter_repeats_and_the_grader_draws_others(check, wrong) -> None:
    """In Jupyter *wrong*'s feedback is the same on every run; graded, it differs by seed."""
    first = check(wrong, quiet=True).feedback
    assert check(wrong, quiet=True).feedback == first
    graded = [check.grade([local_answer(wrong)], seed).feedback for seed in GRADER_SEEDS]
    assert first not in graded and graded[0] != graded[1]
