"""python -m notifications <command>: the shared commands, and the admin commands for mail whose
outcome is unknown (handed over to the server, no reply recorded)."""
import argparse
import sys

from shared.actors import Actor
from shared.cli import main
from shared.errors import DomainError

from notifications import projections
from notifications.bootstrap import bootstrap
from notifications.domain.commands import ResolveMail


def unresolved_mail(service, argv: list[str]) -> int:
    """List the mail a person must resolve; exit 1 while there is any."""
    argparse.ArgumentParser(prog="notifications unresolved-mail", description=unresolved_mail.__doc__).parse_args(argv)
    with service.runtime.engine.connect() as db:
        found = projections.unresolved(db)
    for mail in found:
        print(f"{mail['mail_id']}  {mail['template']}  attempts={mail['attempts']}  queued {mail['queued_at']:%Y-%m-%d %H:%M}Z")
    return 1 if found else 0


def resolve_mail(service, argv: list[str]) -> int:
    """Say what became of a mail whose outcome is unknown: --sent (it arrived) or --resend (it did not;
    it is sent again with the same Message-ID, so a receiving system can drop a second copy)."""
    parser = argparse.ArgumentParser(prog="notifications resolve-mail", description=resolve_mail.__doc__)
    parser.add_argument("mail_id")
    answer = parser.add_mutually_exclusive_group(required=True)
    answer.add_argument("--sent", action="store_true")
    answer.add_argument("--resend", action="store_true")
    args = parser.parse_args(argv)
    try:
        service.handle(ResolveMail(actor=Actor.system("command line"), mail_id=args.mail_id, arrived=args.sent))
    except DomainError as error:
        print(f"{args.mail_id}: {error}", file=sys.stderr)
        return 1
    print(f"{args.mail_id}: {'marked sent' if args.sent else 'queued to be sent again'}")
    return 0


COMMANDS = {"unresolved-mail": unresolved_mail, "resolve-mail": resolve_mail}

if __name__ == "__main__":
    sys.exit(main(bootstrap, commands=COMMANDS))
