"""Where mail goes: an SMTP server when SMTP_URL is set, otherwise .eml files under MAIL_DIR.

A delivery sends through a session: `with delivery.session() as session: session.send(...)` sends a
batch of mails over one SMTP connection (one greeting, one EHLO, one login), reconnecting after a
mail whose failure may have left the connection unusable.
"""
import logging
import os
import re
import smtplib
import socket
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from shared.logs import fields

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx); trying again would not help."""


class OutcomeUnknown(Exception):
    """The message was handed over (its final "." sent) and no reply came: the server may have it.
    Never a failure: sending it again could deliver a second copy."""


HandOver = Callable[[], None]


def nothing() -> None:
    return None


class FileDelivery:
    """Each mail as an .eml file. They hold names and email addresses in the clear, so only the
    service's own user may read them: files 0600 in a directory 0700, whatever the umask."""
    longest_send = 60.0  # seconds

    def __init__(self, directory: Path):
        self.directory = directory

    def session(self):
        return nullcontext(self)

    def send(self, message: EmailMessage, hand_over: HandOver = nothing) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        name = message["Message-ID"].strip("<>").partition("@")[0] + ".eml"
        temporary = self.directory / (name + ".part")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(bytes(message))
        temporary.chmod(0o600)  # an older .part left by a crash may have had wider rights
        hand_over()
        temporary.replace(self.directory / name)  # appears whole or not at all


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait at each stage, as RFC 5321 section 4.5.3.2 sets them; the URL's query can
    shorten them (tests do), e.g. smtp://host:25?end_of_data_timeout=30."""
    greeting: float = 300
    mail: float = 300  # also EHLO, STARTTLS and AUTH
    rcpt: float = 300
    data: float = 120  # the reply to DATA
    block: float = 180  # each block of the data
    end_of_data: float = 600  # the reply to the final "."

    @classmethod
    def from_query(cls, query: dict[str, list[str]]) -> "Timeouts":
        given = {name: float(query[f"{name}_timeout"][0]) for name in cls.__dataclass_fields__
                 if f"{name}_timeout" in query}
        return cls(**given)

    @property
    def longest_send(self) -> float:
        """The longest one send can take: greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA,
        the data and the reply to its end."""
        return self.greeting + 4 * self.mail + self.mail + self.rcpt + self.data + self.block + self.end_of_data


class SmtpDelivery:
    """smtp://[user:password@]host[:port][?starttls=true], or smtps:// for TLS from the start."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://host:port or smtps://user:password@host:port")
        query = parse_qs(parts.query)
        self.parts, self.timeouts = parts, Timeouts.from_query(query)
        self.starttls = query.get("starttls", ["false"])[0] == "true"
        self.longest_send = self.timeouts.longest_send

    @contextmanager
    def session(self):
        session = SmtpSession(self)
        try:
            yield session
        finally:
            session.close()

    def send(self, message: EmailMessage, hand_over: HandOver = nothing) -> None:
        """One mail over a connection of its own."""
        with self.session() as session:
            session.send(message, hand_over)

    def _connect(self) -> smtplib.SMTP:
        parts, timeout = self.parts, self.timeouts.greeting
        if parts.scheme == "smtps":
            return smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=timeout)
        return smtplib.SMTP(parts.hostname, parts.port or 25, timeout=timeout)

    def _introduce(self, client: smtplib.SMTP) -> None:
        # The final "." goes in a small write of its own after the hand-over; without NODELAY,
        # Nagle's algorithm holds it until the server's delayed ACK, some 40 ms per mail.
        client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.sock.settimeout(self.timeouts.mail)
        client.ehlo_or_helo_if_needed()
        if self.starttls:
            client.starttls()
            client.sock.settimeout(self.timeouts.mail)
        if self.parts.username:
            client.login(unquote(self.parts.username), unquote(self.parts.password or ""))

    def _envelope(self, client: smtplib.SMTP, message: EmailMessage) -> None:
        sender = parseaddr(str(message["From"]))[1]
        recipients = [address for _, address in getaddresses([str(message["To"])])]
        client.sock.settimeout(self.timeouts.mail)
        code, reply = client.mail(sender)
        if code != 250:
            raise _refused(code, f"sender refused by the server ({code})")
        client.sock.settimeout(self.timeouts.rcpt)
        codes = [client.rcpt(recipient)[0] for recipient in recipients]
        refused = [code for code in codes if code not in (250, 251)]
        if refused:
            raise _refused(max(refused), f"recipient refused by the server ({refused[0]})")

    def _data(self, client: smtplib.SMTP, message: EmailMessage, hand_over: HandOver) -> None:
        client.sock.settimeout(self.timeouts.data)
        code, _ = client.docmd("DATA")
        if code != 354:
            raise _refused(code, f"DATA refused by the server ({code})")
        client.sock.settimeout(self.timeouts.block)
        client.send(_dot_stuffed(message))
        try:
            hand_over()
        except BaseException:
            client.close()  # no ".", no QUIT (it would be read as data): the server drops the message
            raise
        try:
            client.send(b".\r\n")
            client.sock.settimeout(self.timeouts.end_of_data)
            code, _ = client.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise OutcomeUnknown(f"no reply to the end of the data ({type(error).__name__})") from error
        if code != 250:
            raise _refused(code, f"message refused by the server ({code})")


class SmtpSession:
    """Mails sent one after another over one connection, opened at the first."""

    def __init__(self, delivery: SmtpDelivery):
        self.delivery, self.client = delivery, None

    def send(self, message: EmailMessage, hand_over: HandOver = nothing) -> None:
        """Returns once the server has accepted the message; what happens after that (a failed
        QUIT, a reset) is logged, never raised, or the mailer would send the message again.
        hand_over() runs just before the final "."; if it raises, the "." is never sent. After a
        failure the connection is dropped (it may be mid-transaction) and the next mail opens another."""
        delivery = self.delivery
        try:
            if self.client is None:
                self.client = delivery._connect()
                delivery._introduce(self.client)
            delivery._envelope(self.client, message)
            delivery._data(self.client, message, hand_over)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            _close(client)


def _refused(code: int, reason: str) -> Exception:
    """A 5xx is for good; a 4xx (greylisting, a full mailbox) is worth another try later."""
    return PermanentFailure(reason) if 500 <= code < 600 else TransientFailure(reason)


class TransientFailure(Exception):
    """The server said not now (a 4xx)."""


def _dot_stuffed(message: EmailMessage) -> bytes:
    """The data as it goes on the wire, without its final ".": CRLF line ends, a leading "."
    doubled (RFC 5321 section 4.5.2), ending with CRLF."""
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError) as error:
        log.info("SMTP connection did not close cleanly", extra=fields(error=type(error).__name__))
        client.close()


def delivery_for(smtp_url: str, mail_dir: Path):
    return SmtpDelivery(smtp_url) if smtp_url else FileDelivery(mail_dir)
