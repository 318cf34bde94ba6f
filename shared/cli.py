"""The process entry point every service shares: `python -m <service> <command>`.

  relay                 publish stored facts to the broker
  consumer              handle the messages on the service's queue
  projector             keep the read tables up to date
  scheduler             run scheduled work when it falls due
  mailer                send queued mail (notifications)
  worker                the consumer, projector and scheduler, in one process (not the mailer)
  relay-and-worker      every loop in one process, the mailer's too
  declare-queues        declare the service's queues and bindings, before any relay publishes
  seed-demo             load the demo data, once (does nothing when the log is not empty)
  rebuild-projection N  drop read table N and replay the log into it
  status                database, broker, lag, failing projections, what needs a person (exit 1 if degraded)
  set-aside             list the facts the relay stepped over (they broke their contract)
  republish-set-aside   try them again, once the cause is fixed
  dead-letters          list the messages this service could not handle, with the reason
  replay-dead-letters   put those there now back on the service's queue (after fixing the cause);
                        undecodable ones stay unless --include-undecodable
  issue-token NAME --role R [--organisation ID]   an admin API token, printed this once only
  tokens                the API tokens: id, name, role, organisation, last use, revoked
  revoke-token ID       the token stops working at once
"""
import argparse
import json
import logging
import sys
from typing import Callable

from sqlalchemy.exc import OperationalError

from shared import dead_letters, logs, metrics
from shared.loops import run_loops
from shared.runtime import PROCESS_KINDS, healthy
from shared.settings import SettingsError
from shared.tokens import ADMIN, Role, role_problems

log = logging.getLogger(__name__)


def main(bootstrap: Callable, seed: Callable | None = None, argv: list[str] | None = None,
         commands: dict[str, Callable] | None = None, roles: tuple[Role, ...] = (ADMIN,)) -> int:
    """commands: a service's own admin commands, name -> function(service, its arguments) -> exit code;
    roles: the roles its API tokens may have."""
    argv = sys.argv[1:] if argv is None else argv
    if commands and argv and argv[0] in commands:
        return _service_command(bootstrap, commands[argv[0]], argv[1:])
    parser = argparse.ArgumentParser(description=__doc__ + "".join(f"  {name}\n" for name in commands or ()),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=[*PROCESS_KINDS, "worker", "relay-and-worker",
                                            "declare-queues",
                                            "seed-demo", "rebuild-projection", "status", "set-aside",
                                            "republish-set-aside", "dead-letters",
                                            "replay-dead-letters", "issue-token", "tokens", "revoke-token"])
    parser.add_argument("target", nargs="?", help="the read table to rebuild, the token's name or its id")
    parser.add_argument("--role", choices=[role.name for role in roles], help="the new token's role")
    parser.add_argument("--organisation", default="", help="the organisation an organiser's token acts for")
    parser.add_argument("--include-undecodable", action="store_true",
                        help="replay-dead-letters: replay undecodable messages too (they come straight back)")
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
            kinds = {"relay", "worker", "mailer"} if args.command == "relay-and-worker" else {args.command}
            loops = service.runtime.loops(service.parts, kinds)
            metrics.listen(metrics_settings, service.runtime, loops)
            run_loops(loops)
        case "declare-queues":
            declared = service.runtime.declare_queues(service.parts)
            print("queues declared" if declared else "this service consumes no messages")
        case "seed-demo":
            seeded = seed(service) if seed else False
            print("demo data loaded" if seeded else "demo data already there, or none for this service")
        case "rebuild-projection":
            names = [p.name for p in service.parts.projections]
            if args.target not in names:
                parser.error(f"projection must be one of {', '.join(names) or '(none)'}")
            replayed = service.runtime.projector(service.parts).rebuild(args.target)
            print(f"{args.target}: emptied; the running projector is replaying the log" if replayed is None
                  else f"{args.target}: replayed {replayed} facts")
        case "status":
            report = status(service)
            print(json.dumps(report, indent=2))
            return 0 if healthy(report) else 1
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
            moved, left = dead_letters.replay(runtime.settings.amqp_url, runtime.topology, runtime.settings.service,
                                              include_undecodable=args.include_undecodable)
            print(f"replayed {moved} dead letters" + (f"; left {left} that cannot be decoded "
                                                      "(--include-undecodable replays them too)" if left else ""))
        case "issue-token" | "tokens" | "revoke-token":
            return manage_tokens(parser, args, service.runtime, {role.name: role for role in roles})
    return 0


def manage_tokens(parser, args, runtime, roles: dict[str, Role]) -> int:
    with runtime.engine.begin() as db:
        match args.command:
            case "issue-token":
                problems = role_problems(roles, args.role or "", args.organisation)
                if not args.target or problems:
                    parser.error("; ".join([*(["give the token a name"] if not args.target else []),
                                            *(f"--{field}: {text}" for field, text in problems.items())]))
                record, token = runtime.tokens.issue(db, args.target, args.role, args.organisation, runtime.clock())
                print(f"{record.id}  {record.name}  {record.role}  {record.organisation}\n{token}\n"
                      "Keep the token now: it is not stored and cannot be shown again.")
            case "tokens":
                for t in runtime.tokens.all(db):
                    print(f"{t.id}  {t.name}  {t.role}  {t.organisation or '-'}  last used {t.last_used_at or 'never'}"
                          f"{'  revoked ' + str(t.revoked_at) if t.revoked_at else ''}")
            case "revoke-token":
                if not runtime.tokens.revoke(db, args.target or "", runtime.clock()):
                    print(f"{parser.prog}: there is no token {args.target}", file=sys.stderr)
                    return 1
                print(f"revoked {args.target}")
    return 0




def _service_command(bootstrap: Callable, command: Callable, argv: list[str]) -> int:
    logs.configure()
    try:
        return command(bootstrap(), argv)
    except SettingsError as error:
        print(f"{error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f"the database cannot be reached ({type(error.orig).__name__})", file=sys.stderr)
        return 1


def status(service) -> dict:
    report = service.runtime.health()
    if service.parts.status:
        with service.runtime.engine.connect() as db:
            report.update(service.parts.status(db))
    return report
