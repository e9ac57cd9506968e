"""Grade submitted lab notebooks, one score per exercise.

``python -m reactive_lab.teaching.grade SUBMISSION.ipynb... [--csv FILE] [--json FILE]
[--report FILE.html|FILE.md] [--timeout S] [--jobs N] [--executed DIR] [--no-sandbox]``

Each submission runs in its own bubblewrap sandbox (:mod:`~reactive_lab.teaching.sandbox`):
the course package read-only, no other submission, no grader output, no network, a fresh
home. There :mod:`~reactive_lab.teaching.runner` executes its cells one at a time; a cell that
raises does not stop the next ones; a cell still running when the submission's ``--timeout``
(for all its cells together) is spent is interrupted, and the cells after it are not run.

Then the grader, in its own process, runs the lab's checks: it draws the probe inputs from a
secret seed of this run, sends each to the sandbox, gets back the learner's result as plain
data, and computes the expected values and the score itself. Nothing a notebook defines,
patches or writes can change how a score is computed, and a table of answers built from
the feedback in Jupyter does not match the grader's probes. Each exercise's checks get
:data:`CHECK_BUDGET` seconds of the grader's time; running out is reported as the grader's
limit, never as the learner's error. The lab comes from ``metadata.reactive_lab.lab``,
which labgen writes.

Whatever happens (not a notebook, a crashed kernel, a notebook that never stops) the
submission still gets rows, with score 0 and the reason: one per exercise of its lab, or one
with exercise ``*`` when the lab cannot be told. The CSV has one row per submission and
exercise: ``submission,lab,exercise,score,max_score,feedback``; ``--report`` adds a class
report (:mod:`~reactive_lab.teaching.report`).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from reactive_lab.teaching import checking, labs, report, sandbox
from reactive_lab.teaching.channel import Run, RunnerGone, answers_from
from reactive_lab.teaching.checking import exercises_of

__all__ = ["grade_all", "grade_submission", "main"]

COLUMNS = ["submission", "lab", "exercise", "score", "max_score", "feedback"]
"""The CSV's columns: one row per submission and exercise."""

CHECK_BUDGET = 60.0
"""Seconds of the grader's own time for checking one exercise (the learner's calls included)."""

STARTUP = 60.0
"""Seconds allowed for starting the sandbox and everything outside the notebook's cells."""


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

    Only when the notebook itself does not say (no metadata, no checks import, or not a
    notebook at all): its rows then still name the lab's exercises, so a gradebook gets a
    zero for each rather than one unplaceable row. Metadata always wins over the name.
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


def grade_submission(path: str, timeout: float = 120.0, executed_to: str | None = None,
                     isolated: bool = True) -> dict:
    """Execute one submission and run its lab's checks; never raises.

    Returns ``{"submission", "lab", "rows": [{exercise, score, max_score, status, feedback}],
    "notes"}``. With ``executed_to``, the notebook as it ran (with the learner's outputs) is
    written there for review.
    """
    try:
        return _grade(path, timeout, executed_to, isolated)
    except Exception as error:  # noqa: BLE001 - the grader must still produce rows
        return _failure(path, None, f"could not grade: {type(error).__name__}: {error}")


def _read(path: str):
    """Read a notebook (a UTF-8 byte-order mark is fine); raise if it is not one."""
    with open(path, "rb") as handle:
        data = handle.read(64 * 2**20 + 1)
    if len(data) > 64 * 2**20:
        raise ValueError("larger than 64 MB")
    return nbformat.reads(data.decode("utf-8-sig"), as_version=4)


def _grade(path: str, timeout: float, executed_to: str | None, isolated: bool = True) -> dict:
    try:
        nb = _read(path)
    except Exception as error:  # noqa: BLE001
        return _failure(path, _lab_from_name(path),
                        f"not a notebook: {type(error).__name__}: {error}")
    lab = _lab_of(nb) or _lab_from_name(path)
    if lab is None:
        return _failure(path, None, "could not tell which lab this is "
                                    "(no metadata.reactive_lab.lab and no checks import)")
    module = labs.checks_of(lab)
    names = sorted({name for check in exercises_of(module) for name in check.uses})
    with Run(isolated) as run:
        try:
            run.send({"notebook": {"cells": [dict(cell) for cell in nb.cells]},
                      "timeout": timeout, "names": names})
            executed = run.receive(time.monotonic() + timeout + STARTUP)
        except RunnerGone as gone:
            return _failure(path, lab, f"the notebook could not be run to the end ({gone}: "
                                       "the kernel died (crashed or was killed) or it never "
                                       "stopped)")
        notes = [note[:300] for note in executed.get("notes", []) if isinstance(note, str)]
        answers = answers_from(run, executed.get("answers"))
        results = checking.grade_checks(module, answers, secrets.randbits(63),
                                        before_each=lambda: run.start_budget(CHECK_BUDGET))
    if executed_to:
        _write_executed(nb, executed.get("outputs"), executed_to)
    rows = [{"exercise": r["check"], "score": r["score"], "max_score": r["max_score"],
             "status": r["status"], "feedback": r["feedback"] + _joined(notes)}
            for r in results]
    return {"submission": path, "lab": lab, "rows": rows, "notes": notes}


def _write_executed(nb, outputs, destination: str) -> None:
    """Write the notebook with what each cell printed (the runner's outputs, checked)."""
    outputs = outputs if isinstance(outputs, dict) else {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell_outputs = outputs.get(str(index))
        for output in cell_outputs if isinstance(cell_outputs, list) else []:
            if not isinstance(output, dict):
                continue
            if output.get("output_type") == "stream" and isinstance(output.get("text"), str):
                cell.outputs.append(nbformat.v4.new_output(
                    "stream", name="stdout", text=output["text"][:2**20]))
            elif output.get("output_type") == "error":
                cell.outputs.append(nbformat.v4.new_output(
                    "error", ename=str(output.get("ename"))[:100],
                    evalue=str(output.get("evalue"))[:500], traceback=[]))
    nbformat.write(nb, destination)


def _joined(notes: list[str]) -> str:
    return "".join(f"\n  note: {note}" for note in notes)


def _grade_in_subprocess(path: str, timeout: float, executed_to: str | None,
                         isolated: bool) -> dict:
    """Grade in a child process, killed (with its kernel) if it overruns everything."""
    hard_limit = timeout + STARTUP + CHECK_BUDGET * 8
    command = [sys.executable, "-m", "reactive_lab.teaching.grade", "--one", path,
               "--timeout", str(timeout)]
    if executed_to:
        command += ["--executed-to", executed_to]
    if not isolated:
        command += ["--no-sandbox"]
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
        lab = _lab_of(_read(path)) or _lab_from_name(path)
    except Exception:  # noqa: BLE001
        lab = _lab_from_name(path)
    return _failure(path, lab, reason)


def grade_all(paths: list[str], timeout: float = 120.0, jobs: int | None = None,
              executed: Path | None = None, isolated: bool = True) -> list[dict]:
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
        return list(pool.map(
            lambda pair: _grade_in_subprocess(pair[0], timeout, pair[1], isolated),
            zip(paths, targets)))


def _csv_rows(graded: list[dict]):
    for submission in graded:
        for row in submission["rows"]:
            feedback = " | ".join(line.strip() for line in row["feedback"].splitlines())
            yield [submission["submission"], submission["lab"] or "", row["exercise"],
                   f"{row['score']:g}", f"{row['max_score']:g}", feedback]


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
    parser.add_argument("--report", type=Path,
                        help="write a class report here (.html, or Markdown for .md)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds for all of a submission's cells (default 120)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="submissions graded at once (default: one per core)")
    parser.add_argument("--executed", type=Path,
                        help="write each notebook as it ran (with its outputs) in this folder")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run submissions without bubblewrap (only for code you trust)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: grade one, print JSON
    parser.add_argument("--executed-to", help=argparse.SUPPRESS)  # internal, with --one
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(grade_submission(args.one, args.timeout, args.executed_to,
                                          not args.no_sandbox)))
        return 0
    if not args.submissions:
        parser.error("give at least one submission notebook")
    if not args.no_sandbox and not sandbox.available():
        parser.error(f"bubblewrap (bwrap) is needed to grade untrusted notebooks: "
                     f"{sandbox.INSTALL_HINT}")
    graded = grade_all(args.submissions, args.timeout, args.jobs, args.executed,
                       not args.no_sandbox)
    print(_table(graded))
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(_csv_rows(graded))
    if args.report:
        page = (report.html_page(graded) if args.report.suffix.lower() in (".html", ".htm")
                else report.markdown(graded))
        args.report.write_text(page, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(graded, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
