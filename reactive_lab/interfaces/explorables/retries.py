"""Brooker's race: clients contending for one resource, retrying by one policy or another.

Plot and explorable for the page ``chapters/02-interfaces/retries``; the numbers come from
:func:`reactive_lab.interfaces.retry_race`.
"""

# Taught in chapters/02-interfaces/retries.md; keep names in sync.

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from reactive_lab import figures
from reactive_lab.explore import Dropdown, Explorable, Slider, plural, register
from reactive_lab.interfaces.retry import POLICIES, RaceResult, retry_race

__all__ = ["CLIENTS", "plot_race", "race"]

PAGE = "chapters/02-interfaces/retries"

CLIENTS = (5, 10, 15, 20)


def plot_race(result: RaceResult, ax=None):
    """Draw every call the resource answered: time across, client up; refused calls grey."""
    if ax is None:
        ax = figures.new_figure().subplots()
    log = np.asarray(result.log, dtype=float).reshape(-1, 3)
    refused, let_in = log[log[:, 2] == 0], log[log[:, 2] == 1]
    ax.scatter(refused[:, 0], refused[:, 1], s=4, color=figures.PALETTE["grey"],
               label=f"refused ({len(refused):,})")
    ax.scatter(let_in[:, 0], let_in[:, 1], s=18, marker="D",
               color=figures.PALETTE["vermillion"], label="let in")
    ax.set_xlim(0, max(60.0, result.completion * 1.02))
    ax.set_ylim(-0.8, result.clients - 0.2)  # clients 0 .. n-1, no tick beyond them
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # clients are numbered, not measured
    figures.label(ax, x="time", x_unit="hold times", y="client")
    figures.legend_below(ax, ncol=2)  # inside, it would hide the last clients' calls
    return ax


@register(page=PAGE)
def race() -> Explorable:
    """Explorable: retry policy and number of clients against calls and completion time."""

    def draw(fig, policy, clients):
        r = retry_race(POLICIES[policy], clients=clients, seed=3)
        plot_race(r, fig.subplots())
        per_client, completion = (figures.plain_number(v) for v in (r.calls / clients,
                                                                    r.completion))
        readout = "\n".join([
            f"{clients} clients, one resource, policy: {policy}",
            f"calls the resource answered: {r.calls:,} ({per_client} per client)",
            f"last client done at {completion} hold times "
            f"(at best {clients:g}, one after another)",
        ])
        alt = (f"Every call {clients} clients made to one resource under the {policy} "
               f"policy, time across and client up: {r.calls:,} calls in all, refused ones "
               f"in grey, the last client let in at {completion} hold times.")
        return readout, alt

    return Explorable(
        "race", draw,
        [Dropdown("policy", tuple(POLICIES), label="retry policy", default="exponential"),
         Slider("clients", CLIENTS, label="clients", default=10,
                format=lambda v: plural(v, "client"))],
        alt="Calls of {clients} clients retrying by the {policy} policy.",
        try_="at 20 clients, go from exponential to full jitter: the stripes of retries "
             "dissolve and everyone is in far sooner.",
        figsize=figures.with_legend_rows(figures.EXPLORABLE_FIGSIZE, 1),
    )
