"""Aggregating the runs of each measurement, and showing them: a table on stdout, the figures as
JSON (var/bench/latest.json) and the latency chart (var/bench/latency.png)."""
import json
import statistics
from dataclasses import asdict
from pathlib import Path

from bench.common import Compared

OUT = Path("var/bench")


def aggregate(runs: list[list]) -> list[dict]:
    """Runs of one measurement (each a list of figures, in the same order) -> one row per figure."""
    rows = []
    for samples in zip(*runs):
        first = samples[0]
        row = {"name": first.name, "unit": first.unit, "runs": [asdict(s) for s in samples]}
        if isinstance(first, Compared):
            row.update(kind="compared", baseline_name=first.baseline_name, goal=first.goal,
                       ours=_spread([s.ours for s in samples]), baseline=_spread([s.baseline for s in samples]),
                       ratio=_spread([s.ratio for s in samples]), extra=_medians([s.extra for s in samples]))
            row["met"] = None if first.goal is None else row["ratio"]["median"] >= first.goal
        else:
            row.update(kind="absolute", goal=first.goal, value=_spread([s.value for s in samples]),
                       met=None if first.met is None else all(s.met for s in samples), detail=samples[-1].detail)
        rows.append(row)
    return rows


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _medians(extras: list[dict]) -> dict:
    return {key: statistics.median(extra[key] for extra in extras) for key in extras[0]}


def print_rows(rows: list[dict]) -> None:
    for row in rows:
        print(_line(row), flush=True)


def _line(row: dict) -> str:
    verdict = {True: "met", False: "NOT MET", None: ""}[row["met"]]
    if row["kind"] == "compared":
        ours, base, ratio = row["ours"], row["baseline"], row["ratio"]
        goal = f"goal ratio >= {row['goal']}" if row["goal"] is not None else ""
        extra = "  ".join(f"{k} {v:g}" for k, v in row["extra"].items())
        return (f"{row['name']:22} {_f(ours)} {row['unit']:16} baseline {_f(base)} ({row['baseline_name']})"
                f"  ratio {ratio['median']:.2f} [{ratio['min']:.2f}-{ratio['max']:.2f}]  {goal} {verdict}"
                + (f"\n{'':22} {extra}" if extra else ""))
    goal = f"goal {row['goal']}" if row["goal"] else ""
    detail = dict(sorted(row["detail"].items(), key=lambda item: -_number(item[1]))[:DETAILS_SHOWN])
    shown = "  ".join(f"{key} {value}" for key, value in detail.items())
    return f"{row['name']:44} {_f(row['value'])} {row['unit']:16} {goal} {verdict}" + (f"  ({shown})" if shown else "")


DETAILS_SHOWN = 8  # the largest; the JSON has them all


def _number(value) -> float:
    return value if isinstance(value, (int, float)) else 0.0


def _f(spread: dict) -> str:
    return f"{spread['median']:9.1f} [{spread['min']:.1f}-{spread['max']:.1f}]"


def write_json(results: dict, settings: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "latest.json"
    path.write_text(json.dumps({"settings": settings, "measurements": results}, indent=2, default=str))
    return path


def draw_latency(rows: list[dict], rates) -> Path | None:
    """Response-to-email p50 and p99 (median of the runs, min-max as error bars) per offered load."""
    import matplotlib
    import matplotlib.ticker
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_name = {row["name"]: row["value"] for row in rows}
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for label in ("p50", "p99"):
        spreads = [by_name.get(f"{rate}/s response to email {label}") for rate in rates]
        points = [(rate, s) for rate, s in zip(rates, spreads) if s]
        if not points:
            return None
        xs, medians = [p[0] for p in points], [p[1]["median"] for p in points]
        errors = [[m - p[1]["min"] for p, m in zip(points, medians)], [p[1]["max"] - m for p, m in zip(points, medians)]]
        axes.errorbar(xs, medians, yerr=errors, marker="o", capsize=4, label=f"{label} (median of runs, min-max)")
    axes.axhline(250, linestyle=":", color="grey", label="goal p50 at 100/s: 250 ms")
    axes.axhline(1000, linestyle="--", color="grey", label="goal p99 at 100/s: 1 s")
    axes.set(xlabel="offered load (registrations/s, open loop)", ylabel="response to email (ms)",
             title="Registration response to email arrival", xscale="log", yscale="log")
    axes.set_xticks(list(rates), [str(r) for r in rates])
    axes.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes.legend(fontsize=8)
    figure.tight_layout()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "latency.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
