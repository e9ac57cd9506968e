"""Tests of the grader: full marks for solutions, none for labs, rows for every failure."""

import copy
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reactive_lab.teaching import grade

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "teaching" / "tiny-submission.ipynb"
SOLUTION = ROOT / "solutions" / "00-warm-up.ipynb"
LAB = ROOT / "labs" / "00-warm-up.ipynb"
COLUMNS = ["submission", "lab", "exercise", "score", "max_score", "feedback"]


def _with_cell(source: Path, code: str, at: int | None = None) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nbformat.read(source, as_version=4))
    cell = nbformat.v4.new_code_cell(code)
    nb.cells.insert(len(nb.cells) if at is None else at, cell)
    return nb


def _grade(tmp_path: Path, name: str, paths: list[Path], timeout: float):
    csv_path, json_path = tmp_path / f"{name}.csv", tmp_path / f"{name}.json"
    done = subprocess.run(
        [sys.executable, "-m", "reactive_lab.teaching.grade", *map(str, paths),
         "--csv", str(csv_path), "--json", str(json_path), "--timeout", str(timeout)],
        capture_output=True, text=True, check=False, timeout=600)
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return done, rows, json.loads(json_path.read_text())


def _rows_of(rows, submission) -> list[list[str]]:
    return [row for row in rows[1:] if row[0] == str(submission)]


# One grader run per test: under pytest-xdist a shared fixture would run once per worker.
def test_grader_smoke_test_on_a_tiny_submission(tmp_path):
    """A tiny Lab 0 submission with two right answers: the CSV and JSON say so, row by row."""
    done, rows, results = _grade(tmp_path, "tiny", [TINY], timeout=60)
    assert done.returncode == 0, done.stderr
    assert rows[0] == COLUMNS
    assert {row[1] for row in _rows_of(rows, TINY)} == {"00-warm-up"}
    scores = {row[2]: (row[3], row[4]) for row in _rows_of(rows, TINY)}
    assert scores == {"exercise_1": ("2", "2"), "exercise_2": ("0", "2"),
                      "exercise_3": ("0", "2"), "exercise_4": ("2", "2"),
                      "exercise_5": ("0", "2")}
    (result,) = results
    assert result["lab"] == "00-warm-up"
    assert [row["status"] for row in result["rows"]] == [
        "pass", "not done", "not done", "pass", "not done"]


@pytest.mark.slow
def test_grader_scores_a_class_of_submissions(tmp_path):
    """Non-notebooks, crashes, cheats and strangers get 0 with a reason.

    (The solution's 100% and the untouched lab's 0% are in test_labs.py, from the session's
    one execution of each notebook.)"""
    essay = tmp_path / "essay.txt"
    essay.write_text("I did not do the lab, here is an essay instead.")
    cheat = tmp_path / "cheat.ipynb"
    nbformat.write(_with_cell(LAB, (
        "from reactive_lab.teaching import CheckResult, checking\n"
        "check.exercise_1 = lambda *a, **k: CheckResult('1', 't', 2, 2, 'pass', 'ok')\n"
        "checking.run_checks = lambda module, names: []\n")), cheat)
    crash = tmp_path / "crash.ipynb"
    nbformat.write(_with_cell(SOLUTION, "import os\nos._exit(3)", at=4), crash)
    stranger = tmp_path / "stranger.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
                   stranger)
    done, rows, results = _grade(tmp_path, "class", [essay, cheat, crash, stranger], timeout=120)

    assert done.returncode == 0, done.stderr
    assert rows[0] == COLUMNS
    (essay_row,) = _rows_of(rows, essay)
    assert essay_row[1:4] == ["", "*", "0"] and "not a notebook" in essay_row[5]
    cheat_rows = _rows_of(rows, cheat)
    assert len(cheat_rows) == 5 and all(row[3] == "0" for row in cheat_rows), "checks patched"
    crash_rows = _rows_of(rows, crash)
    assert len(crash_rows) == 5
    assert all(row[3] == "0" and "kernel died" in row[5] for row in crash_rows), crash_rows
    (stranger_row,) = _rows_of(rows, stranger)
    assert stranger_row[1:4] == ["", "*", "0"] and "which lab" in stranger_row[5]
    cheat_json = next(r for r in results if r["submission"] == str(cheat))
    assert cheat_json["lab"] == "00-warm-up"


@pytest.mark.slow
def test_grader_stops_a_notebook_that_loops_forever(tmp_path):
    """A cell that never ends is interrupted at --timeout; the rows say so, scoring 0."""
    loops = tmp_path / "loops.ipynb"
    nbformat.write(_with_cell(SOLUTION, "while True:\n    pass", at=4), loops)
    done, rows, results = _grade(tmp_path, "hang", [loops], timeout=3)
    assert done.returncode == 0
    loop_rows = _rows_of(rows, loops)
    assert len(loop_rows) == 5
    assert all(row[3] == "0" and "time limit" in row[5] for row in loop_rows)
    assert results[0]["notes"]


def test_grader_tells_the_lab_from_metadata_or_from_the_checks_import():
    """The lab comes from metadata.reactive_lab.lab, else from the checks the notebook imports."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from reactive_lab.teaching.labs import lab00_warm_up as check")])
    assert grade._lab_of(nb) == "00-warm-up"
    nb.cells = []
    assert grade._lab_of(nb) is None
    nb.metadata["reactive_lab"] = {"lab": "00-warm-up"}
    assert grade._lab_of(nb) == "00-warm-up"


def test_unreadable_file_named_after_a_lab_gets_a_zero_per_exercise(tmp_path):
    """A corrupt upload whose name says which lab it is gets one zero row per exercise."""
    corrupt = tmp_path / "s1234567-00-warm-up.ipynb"
    corrupt.write_text('{"cells": [ truncated by the upload')
    result = grade.grade_submission(str(corrupt))
    assert result["lab"] == "00-warm-up"
    assert [r["exercise"] for r in result["rows"]] == [
        f"exercise_{n}" for n in range(1, 6)]
    assert all(r["score"] == 0 and r["max_score"] > 0 for r in result["rows"])
    assert all("not a notebook" in r["feedback"] for r in result["rows"])


def _tiny_with(tmp_path: Path, name: str, code: str) -> Path:
    nb = nbformat.read(TINY, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(code))
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_an_empty_notebook_named_after_a_lab_gets_a_zero_per_exercise(tmp_path):
    """A valid notebook with nothing in it, named s1-00-warm-up.ipynb: five zero rows."""
    empty = tmp_path / "s1-00-warm-up.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), empty)
    result = grade.grade_submission(str(empty))
    assert result["lab"] == "00-warm-up"
    assert [(r["exercise"], r["score"]) for r in result["rows"]] == [
        (f"exercise_{n}", 0) for n in range(1, 6)]


def test_metadata_decides_the_lab_not_the_file_name(tmp_path):
    """Lab 0 submitted under a Lab 1 file name is graded, and filed, as Lab 0."""
    misnamed = tmp_path / "s1-01-distribution.ipynb"
    shutil.copy(TINY, misnamed)
    result = grade.grade_submission(str(misnamed))
    assert result["lab"] == "00-warm-up" and len(result["rows"]) == 5
    assert result["rows"][0]["status"] == "pass"


def test_a_notebook_with_a_byte_order_mark_is_a_notebook(tmp_path):
    """A UTF-8 BOM (some editors add one) does not make a file "not a notebook"."""
    bom = tmp_path / "bom.ipynb"
    bom.write_bytes(b"\xef\xbb\xbf" + TINY.read_bytes())
    result = grade.grade_submission(str(bom))
    assert [r["status"] for r in result["rows"]][:2] == ["pass", "not done"]


def test_the_graders_own_budget_is_reported_as_the_graders(tmp_path, monkeypatch):
    """When the checks of an exercise outlast the grader's budget, the feedback says it is
    the grader's limit, never the learner's KeyboardInterrupt or error."""
    monkeypatch.setattr(grade, "CHECK_BUDGET", 1.0)
    slow = _tiny_with(tmp_path, "slow.ipynb", (
        "import time\n"
        "def throughput(arrivals, finishes):\n"
        "    time.sleep(0.6)\n"
        "    return len(arrivals) / (finishes.max() - arrivals.min())\n"))
    result = grade.grade_submission(str(slow))
    first = result["rows"][0]
    assert first["score"] == 0 and "grader's own limit" in first["feedback"]
    assert "KeyboardInterrupt" not in first["feedback"]
    assert result["rows"][3]["status"] == "pass"  # the next exercise has its own budget


@pytest.mark.slow
def test_a_correct_but_slow_answer_scores_full_marks(tmp_path):
    """2 s a call, under the 5 s per-call limit: full marks, whatever the calls add up to."""
    slow = _tiny_with(tmp_path, "slow.ipynb", (
        "import time\n"
        "def throughput(arrivals, finishes):\n"
        "    time.sleep(2)\n"
        "    return len(arrivals) / (finishes.max() - arrivals.min())\n"
        "def mm1_mean_latency(arrival_rate, service_rate):\n"
        "    time.sleep(2)\n"
        "    return math.inf if arrival_rate >= service_rate else "
        "1 / (service_rate - arrival_rate)\n"))
    result = grade.grade_submission(str(slow))
    assert [r["status"] for r in result["rows"]] == [
        "pass", "not done", "not done", "pass", "not done"], result["rows"]


def test_class_report_shows_pass_rates_misconceptions_and_scores(tmp_path):
    """Per-exercise pass rates, the most frequent hint first, a histogram of totals."""
    from reactive_lab.teaching import report

    def row(exercise, score, status, feedback):
        return {"exercise": exercise, "score": score, "max_score": 2.0, "status": status,
                "feedback": feedback}

    hint = "  hint: the window starts at the first arrival, not at time 0."
    graded = [
        {"submission": f"s{n}.ipynb", "lab": "00-warm-up", "rows": [
            row("exercise_1", 0.0, "fail", f"Exercise 1: 0/2 - fail\n  - returned {n}.5\n{hint}"),
            row("exercise_2", 2.0, "pass", "Exercise 2: 2/2 - pass")]}
        for n in range(3)] + [
        {"submission": "s9.ipynb", "lab": "00-warm-up", "rows": [
            row("exercise_1", 2.0, "pass", "Exercise 1: 2/2 - pass"),
            row("exercise_2", 2.0, "pass", "Exercise 2: 2/2 - pass")]}]
    summary = report.summarise(graded)["00-warm-up"]
    assert [(name, passed, count) for name, passed, count, _, _ in summary["exercises"]] == [
        ("exercise_1", 1, 4), ("exercise_2", 4, 4)]
    assert sorted(summary["messages"]) == [("- returned #", 3), (hint.strip(), 3)]
    assert [count for _, _, count in summary["histogram"]] == [0] * 5 + [3] + [0] * 3 + [1]
    page = report.html_page(graded)
    assert "exercise_1" in page and "1/4 (25%)" in page and "first arrival" in page
    text = report.markdown(graded)
    assert "| exercise_2 | 4/4 (100%) |" in text
