"""Where mail goes: an SMTP server when SMTP_URL is set, otherwise .eml files under MAIL_DIR."""
import logging
import os
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from shared.logs import fields

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx); trying again would not help."""


class FileDelivery:
    """Each mail as an .eml file. They hold names and email addresses in the clear, so only the
    service's own user may read them: files 0600 in a directory 0700, whatever the umask."""

    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        name = message["Message-ID"].strip("<>").partition("@")[0] + ".eml"
        temporary = self.directory / (name + ".part")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(bytes(message))
        temporary.chmod(0o600)  # an older .part left by a crash may have had wider rights
        temporary.replace(self.directory / name)  # appears whole or not at all


class SmtpDelivery:
    """smtp://[user:password@]host[:port][?starttls=true], or smtps:// for TLS from the start."""

    def __init__(self, url: str, timeout: float = 30):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://host:port or smtps://user:password@host:port")
        self.parts, self.timeout = parts, timeout
        self.starttls = parse_qs(parts.query).get("starttls", ["false"])[0] == "true"

    def send(self, message: EmailMessage) -> None:
        """Returns once the server has accepted the message; what happens after that (a failed
        QUIT, a reset) is logged, never raised, or the mailer would send the message again."""
        client = self._connect()
        try:
            if self.starttls:
                client.starttls()
            if self.parts.username:
                client.login(unquote(self.parts.username), unquote(self.parts.password or ""))
            client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"recipient refused by the server ({codes[0]})") from error
            raise  # 4xx: greylisted or a full mailbox, worth another try later
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(f"refused by the server ({error.smtp_code})") from error
            raise
        finally:
            _close(client)

    def _connect(self) -> smtplib.SMTP:
        parts = self.parts
        if parts.scheme == "smtps":
            return smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=self.timeout)
        return smtplib.SMTP(parts.hostname, parts.port or 25, timeout=self.timeout)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError) as error:
        log.info("SMTP connection did not close cleanly", extra=fields(error=type(error).__name__))
        client.close()


def delivery_for(smtp_url: str, mail_dir: Path):
    return SmtpDelivery(smtp_url) if smtp_url else FileDelivery(mail_dir)
