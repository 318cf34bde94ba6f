"""The process entry point every service shares: `python -m <service> <command>`.

  relay                 publish stored facts to the broker
  consumer              handle the messages on the service's queue
  projector             keep the read tables up to date
  scheduler             run scheduled work when it falls due
  mailer                send queued mail (notifications)
  worker                every loop but the relay, in one process
  relay-and-worker      every loop in one process
  create-tables         create what is missing in the service's database
  seed-demo             load the demo data, once (does nothing when the log is not empty)
  rebuild-projection N  drop read table N and replay the log into it
  status                the database and broker, each follower's lag, and the service's own counts
  set-aside             list the facts the relay stepped over (they broke their contract)
  republish-set-aside   try them again, once the cause is fixed
  dead-letters          list the messages this service could not handle, with the reason
  replay-dead-letters   put them back on the service's queue (after fixing the cause)
"""
import argparse
import json
import logging
import sys
from typing import Callable

from sqlalchemy.exc import OperationalError

from shared import dead_letters, logs, metrics
from shared.loops import run_loops
from shared.runtime import PROCESS_KINDS
from shared.settings import SettingsError

log = logging.getLogger(__name__)


def main(bootstrap: Callable, seed: Callable | None = None, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=[*PROCESS_KINDS, "worker", "relay-and-worker", "create-tables",
                                            "seed-demo", "rebuild-projection", "status", "set-aside",
                                            "republish-set-aside", "dead-letters",
                                            "replay-dead-letters"])
    parser.add_argument("projection", nargs="?", help="the read table to rebuild")
    args = parser.parse_args(argv)
    logs.configure()
    try:
        service = bootstrap()
        metrics_settings = metrics.load_settings(service.runtime.settings.app_env)
    except SettingsError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f"{parser.prog}: the database cannot be reached ({type(error.orig).__name__})", file=sys.stderr)
        return 1
    match args.command:
        case "relay" | "consumer" | "projector" | "scheduler" | "mailer" | "worker" | "relay-and-worker":
            kinds = {"relay", "worker"} if args.command == "relay-and-worker" else {args.command}
            loops = service.runtime.loops(service.parts, kinds)
            metrics.listen(metrics_settings, service.runtime, loops)
            run_loops(loops)
        case "create-tables":
            pass  # bootstrap() has done it
        case "seed-demo":
            seeded = seed(service) if seed else False
            print("demo data loaded" if seeded else "demo data already there, or none for this service")
        case "rebuild-projection":
            names = [p.name for p in service.parts.projections]
            if args.projection not in names:
                parser.error(f"projection must be one of {', '.join(names) or '(none)'}")
            replayed = service.runtime.projector(service.parts).rebuild(args.projection)
            print(f"{args.projection}: emptied; the running projector is replaying the log" if replayed is None
                  else f"{args.projection}: replayed {replayed} facts")
        case "status":
            report = status(service)
            print(json.dumps(report, indent=2))
            return 0 if report["database"] == report["broker"] == "ok" and not report["set_aside"] else 1
        case "set-aside":
            with service.runtime.engine.connect() as db:
                for position, reason in service.runtime.checkpoints.set_aside_facts(db, "relay"):
                    print(f"{position}  {reason}")
        case "republish-set-aside":
            relay = service.runtime.relay(service.parts)
            try:
                published, left = relay.republish_set_aside()
            finally:
                relay.close()
            print(f"republished {published}; still set aside {left}")
        case "dead-letters":
            runtime = service.runtime
            for letter in dead_letters.inspect(runtime.settings.amqp_url, runtime.topology, runtime.settings.service):
                print(f"{letter.message_id}  {letter.type}  tries={letter.attempts}  {letter.reason}")
        case "replay-dead-letters":
            runtime = service.runtime
            moved = dead_letters.replay(runtime.settings.amqp_url, runtime.topology, runtime.settings.service)
            print(f"replayed {moved} dead letters")
    return 0




def status(service) -> dict:
    report = service.runtime.health()
    if service.parts.status:
        with service.runtime.engine.connect() as db:
            report.update(service.parts.status(db))
    return report
