"""The untrusted half of grading: run a notebook, then answer the grader's probes.

``python -m reactive_lab.teaching.runner`` runs inside the grader's sandbox
(:mod:`~reactive_lab.teaching.sandbox`) and speaks line-delimited JSON on its stdin and
stdout, every message carrying the run's secret:

1. The grader sends ``{"secret", "notebook", "timeout", "names"}``: the submission's cells,
   the seconds all of them may take, and the names the lab's checks read.
2. The runner executes the code cells one by one in an IPython shell (so magics work), the
   learner's prints captured, the cells after a time-out not run; it replies
   ``{"secret", "outputs", "notes", "answers"}``, each answer described as plain data:
   missing, a function (with its parameters) or a value.
3. The grader sends ``{"secret", "id", "call", "args"}`` for each probe; the runner calls the
   function under the time limit and replies ``{"secret", "id", "outcome", "value"}``
   with the result as plain data (:func:`~reactive_lab.teaching.plain.to_wire`).

Nothing here decides a score: the grader computes the expected values and compares, in its
own process. The protocol's pipes are moved off stdin and stdout before any learner code
runs, so a stray ``print`` or ``input()`` cannot touch them, and Python's own builtins,
``json`` and import system are put back (:mod:`~reactive_lab.teaching.pristine`) before the
runner speaks, so a notebook that patched them does not garble its own answers.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from reactive_lab.teaching import pristine
from reactive_lab.teaching.answers import call_plainly, error_text, parameters_of
from reactive_lab.teaching.limits import attempt
from reactive_lab.teaching.plain import to_wire
from reactive_lab.teaching.probes import decode

__all__ = ["main"]


class _CellTimeUp(BaseException):
    """Raised in a cell still running when the notebook's time is spent."""


def _channel():
    """Move the protocol off fds 0 and 1 (learner code gets /dev/null); return the pipes."""
    reader = os.fdopen(os.dup(0), "r", encoding="utf-8")
    writer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    return reader, writer


def _send(writer, message: dict) -> None:
    writer.write(json.dumps(message) + "\n")
    writer.flush()


def _shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    return InteractiveShell.instance(config=config)


def _run_cells(shell, cells, timeout: float) -> tuple[dict, list[str]]:
    """Run code cells under one shared time budget; return (outputs by index, notes)."""
    from IPython.utils.capture import capture_output

    def on_alarm(signum, frame):
        raise _CellTimeUp()

    signal.signal(signal.SIGALRM, on_alarm)
    outputs, notes = {}, []
    left = timeout
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if left <= 0:
            notes.append(f"time limit of {timeout:g} s reached: cells from {index} on "
                         "were not run")
            break
        started = _now()
        signal.setitimer(signal.ITIMER_REAL, left, 0.5)  # re-fire if the cell swallows it
        timed_out = False
        try:
            with capture_output() as captured:
                result = shell.run_cell(source, store_history=False)
        except _CellTimeUp:
            timed_out, result = True, None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        left -= _now() - started
        text = captured.stdout
        cell_outputs = ([{"output_type": "stream", "name": "stdout", "text": text}]
                        if text else [])
        error = getattr(result, "error_in_exec", None) or getattr(result, "error_before_exec",
                                                                   None)
        if isinstance(error, _CellTimeUp) or timed_out:
            timed_out = True
        elif error is not None:
            name = type(error).__name__
            cell_outputs.append({"output_type": "error", "ename": name,
                                 "evalue": error_text(error)[len(name) + 2:], "traceback": []})
        outputs[index] = cell_outputs
        if timed_out or left <= 0:
            notes.append(f"cell {index} was still running at the time limit of {timeout:g} s "
                         "and was interrupted; later cells were not run")
            break
    return outputs, notes


def _now() -> float:
    import time

    return time.monotonic()


def _describe_answers(namespace: dict, names: list[str]) -> dict:
    described = {}
    for name in names:
        if name not in namespace:
            described[name] = {"kind": "missing"}
            continue
        value = namespace[name]
        if callable(value):
            described[name] = {"kind": "function", "parameters": parameters_of(value)}
            continue
        # Reading a learner's value may run its methods: guard it like a call.
        outcome, wire = attempt(to_wire, value, time_limit=1.0)
        described[name] = {"kind": "value", "value": wire if outcome == "ok" else
                           {"$unknown": "a value that could not be read"}}
    return described


def main() -> int:
    """Run one submission and serve the grader's probes; see the module docstring."""
    reader, writer = _channel()
    first = json.loads(reader.readline())
    secret = first["secret"]
    shell = _shell()
    outputs, notes = _run_cells(shell, first["notebook"]["cells"], float(first["timeout"]))
    pristine.reapply()  # the notebook may have patched json, builtins, imports: undo for us
    namespace = shell.user_ns
    _send(writer, {"secret": secret, "outputs": outputs, "notes": notes,
                   "answers": _describe_answers(namespace, first["names"])})
    for line in reader:
        request = json.loads(line)
        if request.get("secret") != secret:
            continue
        function = namespace.get(request["call"])
        try:
            args = tuple(decode(request["args"]))
        except (ValueError, TypeError, KeyError) as error:
            _send(writer, {"secret": secret, "id": request["id"], "outcome": "error",
                           "value": f"bad probe: {error}"})
            continue
        outcome, value = call_plainly(function, args, float(request["time_limit"]))
        _send(writer, {"secret": secret, "id": request["id"], "outcome": outcome,
                       "value": to_wire(value)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
