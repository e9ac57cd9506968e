"""Argument checks shared by the closed forms: each names the parameter, the rule, the value."""

from __future__ import annotations

import math
import numbers


def _number(name: str, value, *, positive: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number (got {value!r})")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive (got {value!r})")
    if value < 0:
        raise ValueError(f"{name} must be non-negative (got {value!r})")
    return float(value)


def _servers(servers) -> int:
    if isinstance(servers, bool) or not isinstance(servers, numbers.Integral) or servers < 1:
        raise ValueError(f"servers must be a positive int (got {servers!r})")
    return int(servers)


def _percentile_level(q) -> float:
    if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0 < q < 100:
        raise ValueError(f"q must be a percentile strictly between 0 and 100 (got {q!r})")
    return float(q)


def _check_stable(arrival_rate: float, service_rate: float, servers: int) -> None:
    utilisation = arrival_rate / (servers * service_rate)
    if utilisation >= 1:
        raise ValueError(
            f"utilisation must be below 1 (got {utilisation:.3g}): arrivals outpace the "
            "servers and the queue grows without bound"
        )
