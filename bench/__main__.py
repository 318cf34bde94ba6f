"""Benchmarks: `make bench`. Each measurement prints the project's figure beside a baseline taken in
the same run on the same servers (PostgreSQL and RabbitMQ on loopback, an SMTP sink of the bench's
own), or, for the whole system, beside its goal. Each runs BENCH_REPEAT times (3; 1 when quick)
(BENCH_SYSTEM_REPEAT for the whole-system ones) and shows the median with [min-max]; ratio = ours / baseline, higher is better.

  BENCH_QUICK=1          small counts and short runs, to try it out
  BENCH_ONLY=a,b         only the named measurements (names below)
  BENCH_SOAK=1           add the 10-minute soak (memory growth)
  BENCH_REPEAT           runs of each measurement (3; 1 when quick)
  BENCH_SYSTEM_REPEAT    runs of each whole-system one (latency, rush, soak), minutes each (BENCH_REPEAT)
  BENCH_COUNT            operations per run of the others (2,000; 200 when quick)
  BENCH_POSTGRES_URL, BENCH_AMQP_URL   the servers (loopback defaults)

Writes var/bench/latest.json and var/bench/latency.png.
"""
import importlib
import os
import sys
import time
import traceback

from bench import common, report

MEASUREMENTS = {  # name -> module: one measurement each
    "append": "append", "append-library": "append_library", "relay": "relay", "register": "register",
    "consumer": "consumer", "mailer": "mailer", "rebuild": "rebuild", "form": "form", "pages": "pages",
    "attendees": "attendees", "content-search": "content_search",
    "latency": "latency", "rush": "rush", "soak": "soak",
}

WHOLE_SYSTEM = {"latency", "rush", "soak"}


def chosen() -> list[str]:
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    unknown = set(only) - set(MEASUREMENTS)
    if unknown:
        raise SystemExit(f"BENCH_ONLY: no measurement {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join(MEASUREMENTS)}")
    names = only or [name for name in MEASUREMENTS if name != "soak" or common.SOAK]
    return names


def main() -> int:
    settings = {"quick": common.QUICK, "repeat": common.REPEAT, "system repeat": common.SYSTEM_REPEAT, "count": common.COUNT, "soak": common.SOAK,
                "load average at start": os.getloadavg(), "cpus": os.cpu_count(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    print(f"{'quick' if common.QUICK else 'full'} run, {common.REPEAT} run(s) of each; loopback; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n", flush=True)
    results, failed = {}, []
    for name in chosen():
        module = importlib.import_module(f"bench.{MEASUREMENTS[name]}")
        try:
            repeat = common.SYSTEM_REPEAT if name in WHOLE_SYSTEM else common.REPEAT
            runs = [module.measure() for _ in range(repeat)]
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        results[name] = rows = report.aggregate(runs)
        report.print_rows(rows)
    settings["load average at end"] = os.getloadavg()
    print(f"\nfigures: {report.write_json(results, settings)}")
    if "latency" in results and (chart := report.draw_latency(results["latency"], _rates())):
        print(f"chart:   {chart}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _rates():
    from bench.latency import RATES
    return RATES


if __name__ == "__main__":
    sys.exit(main())
