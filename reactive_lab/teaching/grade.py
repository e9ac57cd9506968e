"""Grade submitted lab notebooks, one score per exercise.

``python -m reactive_lab.teaching.grade SUBMISSION.ipynb... [--csv FILE] [--json FILE]
[--timeout S] [--jobs N]``

Each submission runs in a fresh kernel, in a scratch directory, one cell at a time. A cell
that raises does not stop the next ones; a cell still running when the submission's
``--timeout`` (for all its cells together) is spent is interrupted, and the cells after it
are not run. Then one more cell, added by the grader, imports the lab's checks afresh from
the installed package (so a check redefined or patched inside the notebook changes nothing)
and runs each on the learner's names. The lab comes from ``metadata.reactive_lab.lab``,
which labgen writes.

Whatever happens (not a notebook, a crashed kernel, a notebook that never stops) the
submission still gets rows, with score 0 and the reason: one per exercise of its lab, or one
with exercise ``*`` when the lab cannot be told. The CSV has one row per submission and
exercise: ``submission,exercise,score,max_score,feedback``. Grading runs arbitrary submitted
code: do it in an account or container that holds nothing else.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from reactive_lab.teaching import labs
from reactive_lab.teaching.checking import exercises_of

__all__ = ["grade_all", "grade_submission", "main"]

CHECK_BUDGET = 30.0
"""Seconds allowed for the grader's own cell, which runs every check of a lab."""

KERNEL_STARTUP = 60.0
"""Seconds allowed for starting a kernel and everything outside the notebook's cells."""

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])

_GRADING_CELL = """\
def _reactive_lab_grade(namespace):
    import contextlib, io, json, sys
    for name in [n for n in sys.modules if n == "reactive_lab" or n.startswith("reactive_lab.")]:
        del sys.modules[name]
    sys.path.insert(0, {root!r})
    try:
        import importlib
        checking = importlib.import_module("reactive_lab.teaching.checking")
        checks = importlib.import_module({module!r})
    finally:
        sys.path.remove({root!r})
    with contextlib.redirect_stdout(io.StringIO()):
        results = checking.run_checks(checks, namespace)
    print({marker!r} + json.dumps(results))
_reactive_lab_grade(globals())
"""


def _lab_of(nb) -> str | None:
    """Return the lab a notebook belongs to: its metadata, else the checks it imports."""
    known = labs.discover()
    lab = nb.metadata.get("reactive_lab", {}).get("lab")
    if lab in known:
        return lab
    for cell in nb.cells:
        if cell.cell_type == "code":
            for found_lab, module in known.items():
                short = re.escape(module.rsplit(".", 1)[-1])
                if re.search(rf"reactive_lab\.teaching\.labs(\.| import ){short}\b",
                             cell.source):
                    return found_lab
    return None


def _lab_from_name(path: str) -> str | None:
    """Return the lab whose id the file name contains (``s42-00-warm-up.ipynb``), if one.

    Only for files that cannot be read as notebooks: their rows then still name the lab's
    exercises, so a gradebook gets a zero for each rather than one unplaceable row.
    """
    name = Path(path).name
    matches = [lab for lab in labs.discover() if lab in name]
    return matches[0] if len(matches) == 1 else None


def _exercise_rows(lab: str) -> list[dict]:
    module = labs.checks_of(lab)
    return [{"check": c.__name__, "max_score": float(c.max_score)} for c in exercises_of(module)]


def _failure(submission: str, lab: str | None, reason: str) -> dict:
    if lab is None:
        rows = [{"exercise": "*", "score": 0.0, "max_score": 0.0, "status": "fail",
                 "feedback": reason}]
    else:
        rows = [{"exercise": r["check"], "score": 0.0, "max_score": r["max_score"],
                 "status": "fail", "feedback": reason} for r in _exercise_rows(lab)]
    return {"submission": submission, "lab": lab, "rows": rows, "notes": [reason]}


def grade_submission(path: str, timeout: float = 120.0, executed_to: str | None = None) -> dict:
    """Execute one submission and run its lab's checks; never raises.

    Returns ``{"submission", "lab", "rows": [{exercise, score, max_score, status, feedback}],
    "notes"}``. With ``executed_to``, the notebook as it ran (with the learner's outputs) is
    written there for review.
    """
    try:
        return _grade(path, timeout, executed_to)
    except Exception as error:  # noqa: BLE001 - the grader must still produce rows
        return _failure(path, None, f"could not grade: {type(error).__name__}: {error}")


def _grade(path: str, timeout: float, executed_to: str | None) -> dict:
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001
        return _failure(path, _lab_from_name(path),
                        f"not a notebook: {type(error).__name__}: {error}")
    lab = _lab_of(nb)
    if lab is None:
        return _failure(path, None, "could not tell which lab this is "
                                    "(no metadata.reactive_lab.lab and no checks import)")
    marker = f"@@reactive-lab-grade-{secrets.token_hex(8)}@@"
    nb.cells.append(nbformat.v4.new_code_cell(_GRADING_CELL.format(
        root=_PACKAGE_ROOT, module=labs.module_name(lab), marker=marker)))
    notes = []
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        client = NotebookClient(
            nb, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
            error_on_timeout={"ename": "TimeLimit", "evalue": "cell interrupted",
                              "traceback": []},
            resources={"metadata": {"path": scratch}},
        )
        deadline = time.monotonic() + timeout
        try:
            with client.setup_kernel():
                for index, cell in enumerate(nb.cells[:-1]):
                    if cell.cell_type != "code":
                        continue
                    left = deadline - time.monotonic()
                    if left <= 0:
                        notes.append(f"time limit of {timeout:g} s reached: cells from "
                                     f"{index} on were not run")
                        break
                    client.timeout = math.ceil(left)
                    client.execute_cell(cell, index)
                    if time.monotonic() >= deadline:
                        notes.append(f"cell {index} was still running at the time limit of "
                                     f"{timeout:g} s and was interrupted; later cells were "
                                     "not run")
                        break
                client.timeout = int(CHECK_BUDGET)
                client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
        except DeadKernelError:
            return _failure(path, lab, "the kernel died (crashed or was killed) while running "
                                       "the notebook" + _joined(notes))
    results = _marked_results(nb.cells[-1], marker)
    if executed_to:
        learners = nbformat.from_dict({**nb, "cells": nb.cells[:-1]})
        nbformat.write(learners, executed_to)
    if results is None:
        return _failure(path, lab, "the checks could not run after the notebook"
                        + _joined(notes))
    rows = [{"exercise": r["check"], "score": r["score"], "max_score": r["max_score"],
             "status": r["status"], "feedback": r["feedback"] + _joined(notes)}
            for r in results]
    return {"submission": path, "lab": lab, "rows": rows, "notes": notes}


def _joined(notes: list[str]) -> str:
    return "".join(f"\n  note: {note}" for note in notes)


def _marked_results(cell, marker: str):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            for line in output.get("text", "").splitlines():
                if line.startswith(marker):
                    return json.loads(line[len(marker):])
    return None


def _grade_in_subprocess(path: str, timeout: float, executed_to: str | None) -> dict:
    """Grade in a child process, killed (with its kernel) if it overruns everything."""
    hard_limit = timeout + CHECK_BUDGET + KERNEL_STARTUP
    command = [sys.executable, "-m", "reactive_lab.teaching.grade", "--one", path,
               "--timeout", str(timeout)]
    if executed_to:
        command += ["--executed-to", executed_to]
    try:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True, start_new_session=True)
    except OSError as error:
        return _failure(path, None, f"could not start the grader: {error}")
    try:
        out, _ = child.communicate(timeout=hard_limit)
    except subprocess.TimeoutExpired:
        _kill_group(child)
        return _lab_failure(path, f"did not finish within {hard_limit:g} s and was stopped")
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return _lab_failure(path, f"the grading process failed (exit status {child.returncode})")


def _kill_group(child) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        child.kill()
    child.communicate()


def _lab_failure(path: str, reason: str) -> dict:
    try:
        lab = _lab_of(nbformat.read(path, as_version=4))
    except Exception:  # noqa: BLE001
        lab = _lab_from_name(path)
    return _failure(path, lab, reason)


def grade_all(paths: list[str], timeout: float = 120.0, jobs: int | None = None,
              executed: Path | None = None) -> list[dict]:
    """Grade submissions in parallel (one child process each); results in input order.

    With ``executed``, each notebook as it ran is written in that folder, as
    ``NNN-<file name>`` (NNN its position in ``paths``).
    """
    jobs = jobs or os.cpu_count() or 1
    targets = [None] * len(paths)
    if executed:
        Path(executed).mkdir(parents=True, exist_ok=True)
        targets = [str(Path(executed) / f"{n:03d}-{Path(p).name}") for n, p in enumerate(paths)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda pair: _grade_in_subprocess(pair[0], timeout, pair[1]),
                             zip(paths, targets)))


def _csv_rows(graded: list[dict]):
    for submission in graded:
        for row in submission["rows"]:
            feedback = " | ".join(line.strip() for line in row["feedback"].splitlines())
            yield [submission["submission"], row["exercise"], f"{row['score']:g}",
                   f"{row['max_score']:g}", feedback]


def _table(graded: list[dict]) -> str:
    lines = []
    for submission in graded:
        total = sum(r["score"] for r in submission["rows"])
        best = sum(r["max_score"] for r in submission["rows"])
        lines.append(f"{submission['submission']}  (lab {submission['lab'] or '?'}): "
                     f"{total:g}/{best:g}")
        for row in submission["rows"]:
            first = row["feedback"].splitlines()[0] if row["feedback"] else ""
            lines.append(f"  {row['exercise']:<12} {row['score']:>5g}/{row['max_score']:<5g}"
                         f" {row['status']:<9} {first[:70]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: grade, print a table, write CSV/JSON; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m reactive_lab.teaching.grade",
                                     description="Grade submitted lab notebooks per exercise.")
    parser.add_argument("submissions", nargs="*")
    parser.add_argument("--csv", type=Path, help="write submission,exercise,score,... here")
    parser.add_argument("--json", type=Path, help="write the full results as JSON here")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds for all of a submission's cells (default 120)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="submissions graded at once (default: one per core)")
    parser.add_argument("--executed", type=Path,
                        help="write each notebook as it ran (with its outputs) in this folder")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: grade one, print JSON
    parser.add_argument("--executed-to", help=argparse.SUPPRESS)  # internal, with --one
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(grade_submission(args.one, args.timeout, args.executed_to)))
        return 0
    if not args.submissions:
        parser.error("give at least one submission notebook")
    graded = grade_all(args.submissions, args.timeout, args.jobs, args.executed)
    print(_table(graded))
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["submission", "exercise", "score", "max_score", "feedback"])
            writer.writerows(_csv_rows(graded))
    if args.json:
        args.json.write_text(json.dumps(graded, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
