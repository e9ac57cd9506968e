"""A run's message trace: what happened to each message, as text or as a sequence diagram.

With ``Simulation(trace=True)`` every send, delivery, loss, drop, duplicate, timeout,
crash, restart and partition is recorded as a :class:`TraceEvent`. A small run's trace
reads as a story (:func:`format_trace`) or draws as a *sequence diagram*
(:func:`draw_sequence`): one vertical line per process, time running down, one arrow per
message from the moment it was sent to the moment it arrived, the picture Lamport used to
reason about distributed time.

>>> from reactive_lab.core.sim import Simulation
>>> sim = Simulation(seed=1, trace=True)
>>> _ = sim.spawn("pong", lambda ctx, body: ctx.reply("pong"))
>>> _ = sim.spawn("ping", lambda ctx, body: ctx.call("pong", "ping", timeout=1.0))
>>> _ = sim.post("cast", "ping", "ping", "go")
>>> sim.run(until=2.0)
>>> print(format_trace(sim.trace, limit=3))
     0.000  ping → ping     cast   'go'  sent
     0.000  ping → ping     cast   'go'  delivered
     0.000  ping → pong     call   'ping'  sent
"""

# Taught in chapters/00-queues/messages.md; keep names in sync.

from __future__ import annotations

from dataclasses import dataclass, replace

from reactive_lab.core import arguments

__all__ = ["TraceEvent", "draw_sequence", "format_trace"]

_VERBS = {
    "send": "sent", "deliver": "delivered", "lose": "LOST on the link",
    "duplicate": "DUPLICATED by the network", "timeout": "caller TIMED OUT",
}


@dataclass(frozen=True)
class TraceEvent:
    """One thing that happened at *time*: to a message, or to a process.

    *kind* is one of ``send``, ``deliver``, ``lose``, ``duplicate``, ``drop``,
    ``timeout`` (about a message), ``crash``, ``restart`` (about a process), or
    ``partition``, ``heal`` (about the network). *detail* says why (a drop's cause, a
    crash's reason).
    """

    time: float
    kind: str
    message: int | None = None
    message_kind: str = ""
    sender: str = ""
    to: str = ""
    body: object = None
    request: int | None = None
    detail: str = ""

    @classmethod
    def of(cls, time, kind, message=None, detail="", process=None, request=None) -> TraceEvent:
        """Build an event from a :class:`~reactive_lab.core.sim.messages.Message`."""
        if message is None:
            return cls(time, kind, sender=process or "", request=request, detail=detail)
        return cls(time, kind, message.id, message.kind, message.sender, message.to,
                   message.body, message.request, detail)


def _describe(event: TraceEvent, width: int) -> str:
    if event.message is None:
        who = f"{event.sender:<17}" if event.sender else f"{'network':<17}"
        return f"{who} {event.kind.upper()}  {event.detail}".rstrip()
    verb = _VERBS.get(event.kind, f"DROPPED ({event.detail})")
    return (f"{event.sender} → {event.to:<{max(1, 12 - len(event.sender))}} "
            f"{event.message_kind:<6} {_short(event.body, width)}  {verb}")


def _short(body, width: int = 40) -> str:
    text = repr(body)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_trace(trace, *, limit: int | None = None, request: int | None = None,
                 width: int = 40) -> str:
    """Return the trace as one line per event: time, who → whom, kind, body, what happened.

    Parameters
    ----------
    trace : list of TraceEvent
        ``sim.trace`` from a run with ``trace=True``.
    limit : int, optional
        Show at most this many events.
    request : int, optional
        Keep only the events of this load-generator request (and crashes, restarts and
        partitions, which concern every request).
    width : int, default 40
        Cut message bodies longer than this many characters.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If *trace* is None (the run was not traced) or *limit* is below 1.

    Examples
    --------
    >>> print(format_trace([TraceEvent(1.5, "crash", sender="db", detail="disk")]))
         1.500  db                CRASH  disk
    """
    events = _select(trace, request)
    if limit is not None:
        events = events[: _limit(limit)]
    width = arguments.integer("width", width, low=10)
    return "\n".join(f"{event.time:10.3f}  {_describe(event, width)}" for event in events)


def _limit(limit) -> int:
    return arguments.integer("limit", limit, low=1)


def _select(trace, request):
    if trace is None:
        raise ValueError("trace must be a recorded trace (got None): run the simulation "
                         "with Simulation(trace=True)")
    if request is None:
        return list(trace)
    # Process events (crashes, restarts) concern every request; a timeout only its own.
    return [e for e in trace if e.request == request or (e.message is None
                                                         and e.request is None)]


def _lanes(events, order):
    names = list(order or [])
    for event in events:
        for name in (event.sender, event.to):
            if name and name not in names:
                names.append(name)
    return {name: i for i, name in enumerate(names)}


def draw_sequence(trace, *, ax=None, order=None, request=None, time_unit: str = "ms",
                  relative: bool = False):
    """Draw the trace as a sequence diagram: one lane per process, time running down.

    Each message is an arrow from its sender's lane at the time it was sent to its
    receiver's lane at the time it arrived; a lost or dropped message ends in a cross
    where it vanished, a duplicate is dashed, a timeout is a ring on the caller's lane
    and a crash a cross on the crashed process's lane.

    Parameters
    ----------
    trace : list of TraceEvent
        ``sim.trace`` from a traced run (keep it small: tens of messages).
    ax : matplotlib Axes, optional
        Where to draw (default: a new course figure).
    order : sequence of str, optional
        Lanes from left to right (others follow in order of appearance).
    request : int, optional
        Draw only this load-generator request's messages.
    time_unit : str, default "ms"
        Unit of the simulation's time, for the axis label.
    relative : bool, default False
        Measure time from the first event drawn (the moment the request was sent).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> ax = draw_sequence([TraceEvent(0.0, "send", 1, "cast", "a", "b", "hi"),
    ...                     TraceEvent(1.0, "deliver", 1, "cast", "a", "b", "hi")])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['a', 'b']
    """
    from reactive_lab import figures  # only drawing needs matplotlib

    events = _select(trace, request)
    if ax is None:
        ax = figures.new_figure().subplots()
    if relative and events:
        events = [replace(e, time=e.time - events[0].time) for e in events]
    lanes = _lanes(events, order)
    start = min((e.time for e in events), default=0.0)
    end = max((e.time for e in events), default=1.0)
    span = (end - start) or 1.0
    for x in lanes.values():
        ax.plot([x, x], [start, end], color=figures.PALETTE["grey"], linewidth=1, zorder=1)
    sends, arrived = {}, set()
    typical = _typical_delay(events) or 0.03 * span
    for event in events:
        if event.kind == "send":
            sends.setdefault(event.message, event)
        elif event.kind in ("deliver", "lose", "drop") and event.message in sends:
            again = event.kind == "deliver" and event.message in arrived
            arrived.add(event.message)
            _arrow(ax, lanes, sends[event.message], event, typical, dashed=again)
        elif event.kind == "timeout":
            ax.plot(lanes[event.sender], event.time, "o", markersize=8, fillstyle="none",
                    mew=2, color=figures.color(3), zorder=3)
        elif event.kind in ("crash", "restart"):
            ax.plot(lanes[event.sender], event.time, "X" if event.kind == "crash" else "^",
                    markersize=10, color=figures.color(3 if event.kind == "crash" else 2),
                    zorder=3)
    ax.set_xticks(list(lanes.values()), list(lanes), fontsize=9)
    ax.set_xlim(-0.5, len(lanes) - 0.5)
    ax.set_ylim(end + 0.05 * span, start - 0.05 * span)
    ax.grid(axis="x", visible=False)
    figures.label(ax, x="process", y="time since sent" if relative else "time",
                  y_unit=time_unit)
    return ax


def _typical_delay(events) -> float:
    sent = {e.message: e.time for e in events if e.kind == "send"}
    delays = sorted(e.time - sent[e.message] for e in events
                    if e.kind == "deliver" and e.message in sent)
    return delays[len(delays) // 2] if delays else 0.0


def _arrow(ax, lanes, sent: TraceEvent, end: TraceEvent, typical: float, dashed: bool):
    from reactive_lab import figures
    x0, x1 = lanes[sent.sender], lanes[sent.to]
    if end.kind in ("lose", "drop") and end.time == sent.time:
        # Vanished on the way: stop halfway, a typical delay later, and cross it out.
        x_end, y_end = x0 + (x1 - x0) * 0.5, sent.time + typical / 2
    else:
        x_end, y_end = x1, end.time
    if end.kind in ("lose", "drop"):
        ax.annotate("", xy=(x_end, y_end), xytext=(x0, sent.time),
                    arrowprops={"arrowstyle": "-", "color": figures.color(3), "lw": 1.5,
                                "shrinkA": 0, "shrinkB": 0})
        ax.plot(x_end, y_end, "x", color=figures.color(3), markersize=9, mew=2, zorder=3)
        return
    colour = figures.color(2) if sent.message_kind == "reply" else figures.color(0)
    ax.annotate("", xy=(x_end, y_end), xytext=(x0, sent.time),
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5,
                            "linestyle": "--" if dashed else "-", "shrinkA": 0,
                            "shrinkB": 0})
    if x0 != x1 and not dashed:
        ax.text((x0 + x1) / 2, (sent.time + y_end) / 2, _short(sent.body, 18), fontsize=7,
                ha="center", va="center", color=colour,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
