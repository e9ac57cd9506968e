"""``make bench``: time every explorable of the book and the simulation core.

For every explorable of the book (:func:`reactive_lab.explore.all_explorables`):

- **live** latency: recompute + redraw + SVG encoding of one frame, as a slider move in a
  running kernel does (``frame(live=True)``), timed at every point of its grid (median
  and 95th percentile of wall-clock time, and the median of the process's CPU time);
- **static** build: precomputing every frame for the book, as ``make book`` does.

Then the core: the fast station against an idiomatic simpy model of the same system,
timed alternately in this same run (see :mod:`benchmarks.core_bench`), and the message
core on Relay's three-hop request path, with and without loss, against a simpy model with
a process per request (see :mod:`benchmarks.sim_bench`).

Results go to ``benchmarks/results.json`` and a table on stdout. Wall-clock figures on a
shared machine are noisy: compare ratios within one run, never assert them in tests. The
CPU-time column is what one frame costs a core of its own (a learner's laptop); when the
load average printed above the table exceeds the core count, wall-clock time includes
waiting for a core, and the CPU column is the better guide.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path

import matplotlib

from benchmarks.core_bench import bench_core
from benchmarks.sim_bench import bench_sim
from reactive_lab.explore import all_explorables

RESULTS = Path(__file__).with_name("results.json")
LIVE_BUDGET_MS = 50.0
"""The design budget for a live update's median: a slower laptop then stays under 100 ms."""


def _percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def bench_explorable(name, factory, page) -> dict:
    """Time one explorable: live frame latency over its grid, and its static build."""
    explorable = factory()
    # Untimed first frame: a live explorable draws its default frame when it appears, and
    # that first draw pays one-off costs (font cache, imports) no slider move pays again.
    explorable.frame(live=True)
    live_ms, cpu_ms = [], []
    for params in explorable.grid():
        start, cpu = time.perf_counter(), time.process_time()
        explorable.frame(live=True, **params)
        live_ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
    start = time.perf_counter()
    explorable.static_html()
    static_s = time.perf_counter() - start
    return {
        "name": name,
        "page": page,
        "live_median_ms": statistics.median(live_ms),
        "live_p95_ms": _percentile(live_ms, 95),
        "live_cpu_median_ms": statistics.median(cpu_ms),
        "frames": explorable.frames,
        "static_build_s": static_s,
    }


def main() -> dict:
    matplotlib.use("Agg")  # the bench renders images only; the package itself picks no backend
    load_before = os.getloadavg()[0]
    explorables = [bench_explorable(name, factory, page)
                   for (page, name), factory in all_explorables().items()]
    pages = defaultdict(float)
    for record in explorables:
        pages[record["page"]] += record["static_build_s"]
    core = bench_core()
    sim = bench_sim()
    results = {
        "load_average": [load_before, os.getloadavg()[0]],
        "cores": os.cpu_count(),
        "explorables": explorables,
        "pages": [{"page": page, "static_build_s": seconds} for page, seconds in pages.items()],
        "core": core,
        "sim": sim,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    _print_table(results)
    return results


def _print_table(results) -> None:
    start, end = results["load_average"]
    print(f"load average {start:.1f} at the start, {end:.1f} at the end, on "
          f"{results['cores']} cores")
    print(f"{'explorable':<28} {'page':<38} {'live median':>12} {'live p95':>10} "
          f"{'cpu median':>11} {'frames':>7} {'static':>8}")
    for r in results["explorables"]:
        flag = "" if r["live_median_ms"] < LIVE_BUDGET_MS else "  OVER BUDGET"
        print(f"{r['name']:<28} {r['page']:<38} {r['live_median_ms']:>9.1f} ms "
              f"{r['live_p95_ms']:>7.1f} ms {r['live_cpu_median_ms']:>8.1f} ms "
              f"{r['frames']:>7} {r['static_build_s']:>6.1f} s{flag}")
    print()
    for p in results["pages"]:
        print(f"page {p['page']}: all explorable frames built in {p['static_build_s']:.1f} s")
    print()
    print(f"{'core model':<20} {'system':<16} {'customers/s':>14} {'speed-up vs simpy':>18}")
    for r in results["core"]:
        print(f"{r['model']:<20} {r['system']:<16} {r['customers_per_s']:>14,.0f} "
              f"{r['speedup_vs_idiomatic_simpy']:>17.1f}x")
    print()
    print(f"{'message core':<16} {'scenario':<20} {'requests/s':>12} {'answered':>9} "
          f"{'speed-up vs simpy':>18}")
    for r in results["sim"]:
        print(f"{r['model']:<16} {r['scenario']:<20} {r['requests_per_s']:>12,.0f} "
              f"{r['answered']:>9.2%} {r['speedup_vs_idiomatic_simpy']:>17.1f}x")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
