"""The class report: where a class is stuck, from the grader's results.

``python -m reactive_lab.teaching.grade submissions/*.ipynb --report report.html`` (or
``report.md``) writes, for each lab: how many submissions passed each exercise, the feedback
lines the class got most often (hints name known mistakes, so the most frequent ones are the
class's misconceptions), and a histogram of total scores.

>>> graded = [{"submission": "a.ipynb", "lab": "00-warm-up", "rows": [
...     {"exercise": "exercise_1", "score": 2.0, "max_score": 2.0, "status": "pass",
...      "feedback": "Exercise 1 (throughput): 2/2 - pass"}]}]
>>> print(markdown(graded).splitlines()[0])
# Class report
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

__all__ = ["html_page", "markdown", "summarise"]

_BINS = 10


def _message(line: str) -> str | None:
    """A feedback line as a misconception: a hint as it is, what is off with its numbers
    blanked out (the grader's probes, and so the numbers, differ from run to run)."""
    line = line.strip()
    if line.startswith("hint:"):
        return line
    if not line.startswith("- ") or line.startswith("- not graded"):
        return None
    return re.sub(r"-?\d[\d.,e+-]*", "#", line)


def summarise(graded: list[dict]) -> dict:
    """Return ``{lab: {"submissions", "exercises": [(name, passed, count, mean score,
    max)], "messages": [(message, count)], "histogram": [(low, high, count)]}}``."""
    by_lab = defaultdict(list)
    for submission in graded:
        by_lab[submission.get("lab") or "?"].append(submission)
    summary = {}
    for lab, submissions in sorted(by_lab.items()):
        exercises, messages, totals, best = {}, Counter(), [], 0.0
        for submission in submissions:
            total = 0.0
            for row in submission["rows"]:
                seen = exercises.setdefault(row["exercise"], [0, 0, 0.0, row["max_score"]])
                seen[0] += row["status"] == "pass"
                seen[1] += 1
                seen[2] += row["score"]
                total += row["score"]
                messages.update({m for m in map(_message, row["feedback"].splitlines()) if m})
            best = max(best, sum(r["max_score"] for r in submission["rows"]))
            totals.append(total)
        width = best / _BINS if best else 1.0
        histogram = [(i * width, (i + 1) * width,
                      sum(1 for t in totals if i * width <= t < (i + 1) * width
                          or (i == _BINS - 1 and t == best)))
                     for i in range(_BINS)]
        summary[lab] = {
            "submissions": len(submissions),
            "exercises": [(name, p, n, s / n, m) for name, (p, n, s, m) in exercises.items()],
            "messages": messages.most_common(10),
            "histogram": histogram,
        }
    return summary


def markdown(graded: list[dict]) -> str:
    """Return the class report as Markdown."""
    lines = ["# Class report", ""]
    for lab, part in summarise(graded).items():
        lines += [f"## Lab {lab} ({part['submissions']} submissions)", "",
                  "| exercise | passed | mean score |", "|---|---|---|"]
        lines += [f"| {name} | {passed}/{count} ({passed / count:.0%}) | {mean:.2g}/{best:g} |"
                  for name, passed, count, mean, best in part["exercises"]]
        lines += ["", "Most frequent feedback (what the class gets wrong):", ""]
        lines += [f"- {count} x `{message}`" for message, count in part["messages"]] or [
            "- none"]
        lines += ["", "Scores:", "", "```"]
        lines += [f"{low:5.1f}-{high:<5.1f} {'#' * count} {count}"
                  for low, high, count in part["histogram"]]
        lines += ["```", ""]
    return "\n".join(lines)


def html_page(graded: list[dict]) -> str:
    """Return the class report as a self-contained HTML page."""
    body = []
    for lab, part in summarise(graded).items():
        body.append(f"<h2>Lab {html.escape(lab)} ({part['submissions']} submissions)</h2>")
        body.append("<table><tr><th>exercise</th><th>passed</th><th>mean score</th></tr>")
        for name, passed, count, mean, best in part["exercises"]:
            body.append(f"<tr><td>{html.escape(name)}</td><td>{passed}/{count} "
                        f"({passed / count:.0%})</td><td>{mean:.2g}/{best:g}</td></tr>")
        body.append("</table><h3>Most frequent feedback</h3><ol>")
        body += [f"<li>{count} &times; <code>{html.escape(message)}</code></li>"
                 for message, count in part["messages"]]
        body.append("</ol><h3>Scores</h3><table>")
        most = max([c for _, _, c in part["histogram"]] + [1])
        for low, high, count in part["histogram"]:
            body.append(f"<tr><td>{low:.1f}&ndash;{high:.1f}</td><td><div style=\"background:"
                        f"#3b75af;height:1em;width:{200 * count / most:.0f}px\"></div></td>"
                        f"<td>{count}</td></tr>")
        body.append("</table>")
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Class report</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            "td,th{padding:.2em .6em;text-align:left}</style></head><body>"
            "<h1>Class report</h1>" + "\n".join(body) + "</body></html>\n")
