"""Calling a learner's function under a time limit, without ever raising.

A check calls the learner's function through :func:`attempt`, which returns what happened
as data (``("ok", value)``, ``("error", exception)``, ``("time", None)``) instead of letting
an exception or an endless loop reach the check.

>>> attempt(lambda x: 2 * x, 21)
('ok', 42)
>>> attempt(lambda: 1 / 0)[0]
'error'
>>> attempt(lambda: [0 for _ in iter(int, 1)], time_limit=0.2)
('time', None)
"""

from __future__ import annotations

import signal
import threading

__all__ = ["TIME_LIMIT", "attempt"]

TIME_LIMIT = 5.0
"""Seconds a learner's function may run during one call from a check."""


class _TimeUp(BaseException):
    """Raised in the learner's code when it runs past the time limit.

    A BaseException, so that a learner's ``except Exception`` cannot swallow it.
    """


def attempt(function, *args, time_limit: float | None = None) -> tuple[str, object]:
    """Call ``function(*args)`` under the time limit; never raises.

    Returns ``("ok", value)``, ``("error", exception)`` or ``("time", None)``.
    ``time_limit`` defaults to :data:`TIME_LIMIT`. On the main thread a timer interrupts the
    call; elsewhere (no signals there) the call cannot be stopped, so we stop waiting for it.
    """
    seconds = TIME_LIMIT if time_limit is None else time_limit
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _call_with_alarm(function, args, seconds)
    return _call_in_thread(function, args, seconds)


def _call_with_alarm(function, args, seconds):
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            # Keep re-firing every 0.1 s, in case the learner's code catches the first one.
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
            try:
                return ("ok", function(*args))
            finally:
                armed[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _TimeUp:
            return ("time", None)
        except BaseException as error:  # noqa: BLE001 - the learner's bug, as feedback
            return ("error", error)
    except _TimeUp:  # fired between the call returning and the timer being disarmed
        return ("time", None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call_in_thread(function, args, seconds):
    box = []

    def target():
        try:
            box.append(("ok", function(*args)))
        except BaseException as error:  # noqa: BLE001
            box.append(("error", error))

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    return box[0] if box else ("time", None)
