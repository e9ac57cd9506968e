"""What travels between processes: messages, the "timed out" answer, crash notices, counts.

A message is an envelope: who sent it, to whom, its *kind* and its *body* (any Python
value the handlers agree on). The kinds mirror Erlang's:

- ``"cast"``: send and forget (``gen_server:cast``, ``!``);
- ``"call"``: a request that expects a ``"reply"`` (``gen_server:call``); its envelope
  carries ``reply_to``, the caller's address and a reference for the answer;
- ``"reply"``: the answer to a call, matched to it by the reference;
- ``"timer"``: a message a process sent itself after a delay (``erlang:send_after``);
- ``"down"`` / ``"exit"``: a monitored or linked process crashed.

>>> m = Message(1, "cast", "a", "b", {"op": "ping"})
>>> m.kind, m.sender, m.to
('cast', 'a', 'b')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "TIMED_OUT", "Down", "Message", "MessageStats"]

KINDS = ("cast", "call", "reply", "timer", "down", "exit")
"""Every kind of message a process can receive."""


class _TimedOut:
    """The one value a call returns when no reply came in time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "TIMED_OUT"

    def __reduce__(self):
        return "TIMED_OUT"


TIMED_OUT = _TimedOut()
"""What a caller learns when its call times out: that it timed out, and nothing more.

The request may have been lost, may be waiting in a queue, may have been served with the
reply lost on the way back: the caller cannot tell, and this value does not say.
"""


class Message:
    """One message in flight or in a mailbox (an envelope around a *body*).

    Attributes
    ----------
    id : int
        Unique per message sent; a duplicate made by the network keeps its original's id.
    kind : str
        One of :data:`KINDS`.
    sender, to : str
        Addresses (process names) of the two ends.
    body : object
        The payload, as the handlers agreed.
    ref : int or None
        For a reply, the reference of the call it answers.
    reply_to : tuple or None
        For a call (and anything forwarded from it), ``(address, ref)`` of the caller.
    request : int or None
        The id of the load generator's request this message serves, for tracing.
    """

    __slots__ = ("id", "kind", "sender", "to", "body", "ref", "reply_to", "request")

    def __init__(self, id, kind, sender, to, body, ref=None, reply_to=None, request=None):
        self.id = id
        self.kind = kind
        self.sender = sender
        self.to = to
        self.body = body
        self.ref = ref
        self.reply_to = reply_to
        self.request = request

    def __repr__(self) -> str:
        return f"Message(#{self.id} {self.kind} {self.sender}->{self.to} {self.body!r})"


@dataclass(frozen=True)
class Down:
    """Body of a ``"down"`` or ``"exit"`` message: *process* crashed for *reason*."""

    process: str
    reason: object


class MessageStats:
    """Running counts of what happened to every message a run sent.

    Every message sent (and every extra copy the network made) ends in exactly one of:
    delivered to a live process's mailbox, lost on a link, dropped (its destination had
    crashed, was cut off by a partition, or had a full mailbox), or still in flight when
    the run stopped. :meth:`balanced` checks that bookkeeping.

    >>> s = MessageStats()
    >>> s.sent, s.balanced()
    (0, True)
    """

    __slots__ = (
        "sent", "duplicated", "delivered", "lost", "dropped_crashed",
        "dropped_unreachable", "dropped_full", "in_flight", "discarded", "late_replies",
        "timeouts", "replies",
    )

    def __init__(self):
        for name in self.__slots__:
            setattr(self, name, 0)

    @property
    def dropped(self) -> int:
        """Messages that arrived where nobody could take them."""
        return self.dropped_crashed + self.dropped_unreachable + self.dropped_full

    def balanced(self) -> bool:
        """Return True if sent + duplicated = delivered + lost + dropped + in flight."""
        accounted = self.delivered + self.lost + self.dropped + self.in_flight
        return self.sent + self.duplicated == accounted

    def as_dict(self) -> dict[str, int]:
        """Return the counts by name (``dropped`` included), for tables and tests."""
        counts = {name: getattr(self, name) for name in self.__slots__}
        counts["dropped"] = self.dropped
        return counts
