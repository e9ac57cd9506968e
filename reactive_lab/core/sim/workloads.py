"""Workloads for learner handlers: what the clients ask, and the invariant to check.

A workload says what each client operation sends, what the final read asks each node at
the end (when the faults have stopped), and how to judge the run from what the clients
saw: the *history* (every operation, answered or not) and the final reads. It only looks
at what clients observed, never inside a node, so it judges any implementation.

:func:`payments` is the exactly-once workload: clients pay, retrying when a payment is not
acknowledged in time; the network may lose, duplicate and reorder messages. The invariant:
every acknowledged payment was applied exactly once, and no payment was applied twice.

>>> w = payments()
>>> w.request(client=1, number=2, draw=lambda: 0.5)
{'type': 'pay', 'payment': 'c1-2', 'amount': 51}
>>> w.check([{"op": {"payment": "c1-2"}, "outcome": "ok"}], {"n1": {"applied": []}})
'payment c1-2 was acknowledged but never applied'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

__all__ = ["Payments", "payments"]


@dataclass(frozen=True)
class Payments:
    """Clients make payments; each node keeps a ledger and reports it at the end.

    Requests are ``{"type": "pay", "payment": id, "amount": n}``, answered with
    ``{"type": "pay_ok"}``; the final read is ``{"type": "read"}``, answered with
    ``{"type": "read_ok", "applied": [payment ids, once per time applied]}``. Every reply
    carries ``"in_reply_to"``, the ``msg_id`` of the request it answers.
    """

    name: str = "payments"
    invariant: str = "every acknowledged payment was applied exactly once"

    def request(self, client: int, number: int, draw) -> dict:
        """Return the body of client *client*'s *number*-th payment (*draw*: a uniform)."""
        return {"type": "pay", "payment": f"c{client}-{number}", "amount": 1 + int(draw() * 100)}

    def final_read(self) -> dict:
        """Return the body of the read sent to every node once the faults have stopped."""
        return {"type": "read"}

    def check(self, history: list[dict], finals: dict) -> str | None:
        """Return the first violation of the invariant in words, or None if it holds.

        *history* holds one dict per operation (``"op"``, ``"outcome"``); *finals* maps
        each node to the body of its reply to the final read, or None if it gave none.
        """
        applied: Counter = Counter()
        for node, reply in sorted(finals.items()):
            ids = None if not isinstance(reply, dict) else reply.get("applied")
            if not isinstance(ids, list):
                return (f"node {node} did not answer the final read with "
                        f"{{'type': 'read_ok', 'applied': [...]}} (got {reply!r})")
            applied.update(str(i) for i in ids)
        asked = {entry["op"]["payment"] for entry in history}
        for entry in history:
            payment = entry["op"]["payment"]
            if entry["outcome"] == "ok" and applied[payment] == 0:
                return f"payment {payment} was acknowledged but never applied"
        for payment, times in sorted(applied.items()):
            if payment not in asked:
                return f"payment {payment} was applied but no client ever made it"
            if times > 1:
                return f"payment {payment} was applied {times} times"
        return None


def payments() -> Payments:
    """Return the exactly-once payments workload.

    >>> payments().invariant
    'every acknowledged payment was applied exactly once'
    """
    return Payments()
