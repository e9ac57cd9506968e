"""The grader's side of a submission's run: start the sandboxed runner and talk to it.

:class:`Run` starts :mod:`~reactive_lab.teaching.runner` (in the bubblewrap sandbox of
:mod:`~reactive_lab.teaching.sandbox` unless told not to), sends it the notebook, and turns
its answers into :class:`~reactive_lab.teaching.answers.Function` objects whose calls go to
the sandbox and come back as plain data. Every message carries a per-run secret and an id;
anything else on the pipe is ignored, every read has a deadline and a size limit, and the
runner's whole process group is killed when the run ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import signal
import subprocess
import sys
import time

from reactive_lab.teaching import sandbox
from reactive_lab.teaching.answers import BudgetSpent, Function
from reactive_lab.teaching.plain import from_wire
from reactive_lab.teaching.probes import encode

__all__ = ["CALL_MARGIN", "MAX_MESSAGE", "Run", "RunnerGone", "answers_from"]

MAX_MESSAGE = 32 * 2**20
"""Bytes one message from the runner may have; a longer one ends the run."""

CALL_MARGIN = 3.0
"""Seconds the grader waits past a call's time limit before it gives up on the runner."""


class RunnerGone(Exception):
    """The runner died, stopped answering, or broke the protocol."""


class Run:
    """One submission's runner. Use as a context manager: the runner is killed on exit."""

    def __init__(self, isolated: bool = True):
        argv = [sys.executable, "-m", "reactive_lab.teaching.runner"]
        if isolated and not sandbox.available():
            raise RuntimeError(f"bubblewrap is not installed: {sandbox.INSTALL_HINT}")
        if isolated:
            argv = sandbox.command(argv)
        env = sandbox.environment(isolated)
        self.secret = secrets.token_hex(16)
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, close_fds=True,
                                        start_new_session=True)
        self._buffer = b""
        self._next_id = 0
        self.alive = True
        self.budget_deadline = float("inf")
        self.budget = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self) -> None:
        """Kill the runner's process group (everything it forked) and reap it."""
        self.alive = False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def send(self, message: dict) -> None:
        """Send one message (the secret added)."""
        try:
            self.process.stdin.write((json.dumps({**message, "secret": self.secret}) + "\n")
                                     .encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as error:
            raise RunnerGone("the notebook's process ended") from error

    def receive(self, deadline: float, request_id=None) -> dict:
        """Return the next message with our secret (and ``request_id``) before ``deadline``."""
        fd = self.process.stdout.fileno()
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict) and message.get("secret") == self.secret and (
                        request_id is None or message.get("id") == request_id):
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise RunnerGone("the notebook stopped answering")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 2**20)
            if not chunk:
                raise RunnerGone("the notebook's process ended")
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE:
                raise RunnerGone("the notebook sent more than the grader reads")

    def start_budget(self, seconds: float) -> None:
        """Give the next exercise's checks ``seconds`` of the grader's time."""
        self.budget = seconds
        self.budget_deadline = time.monotonic() + seconds

    def function(self, name: str, parameters) -> Function:
        """Return the learner's function ``name`` as a check sees it: calls go to the runner."""

        def invoke(args, time_limit):
            if time.monotonic() >= self.budget_deadline:
                raise BudgetSpent(f"the checks of this exercise took longer than "
                                  f"{self.budget:g} s in total")
            if not self.alive:
                return ("error", "RunnerGone: the notebook stopped answering earlier")
            self._next_id += 1
            try:
                self.send({"id": self._next_id, "call": name, "args": encode(list(args)),
                           "time_limit": time_limit})
                reply = self.receive(time.monotonic() + time_limit + CALL_MARGIN,
                                     self._next_id)
            except RunnerGone:
                self.kill()
                return ("time", None)
            outcome = reply.get("outcome")
            if outcome == "ok":
                return ("ok", from_wire(reply.get("value")))
            if outcome == "error" and isinstance(reply.get("value"), str):
                return ("error", reply["value"][:500])
            return ("time", None)

        return Function(name, parameters, invoke)


def answers_from(run: Run, described) -> dict:
    """Return ``{name: what a check sees}`` from the runner's description of the answers."""
    answers = {}
    if not isinstance(described, dict):
        return answers
    for name, info in described.items():
        if not isinstance(name, str) or not isinstance(info, dict):
            continue
        if info.get("kind") == "function":
            answers[name] = run.function(name, _parameters(info.get("parameters")))
        elif info.get("kind") == "value":
            answers[name] = from_wire(info.get("value"))
    return answers


def _parameters(data):
    """Validate the runner's parameter list: [(name, kind 0-4, has_default)] or None."""
    if not isinstance(data, list) or len(data) > 100:
        return None
    checked = []
    for item in data:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                and item[0].isidentifier() and type(item[1]) is int and 0 <= item[1] <= 4
                and type(item[2]) is bool):
            return None
        checked.append(tuple(item))
    return checked
