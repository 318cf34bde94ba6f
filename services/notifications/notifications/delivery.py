"""Where mail goes: an SMTP server when SMTP_URL is set, otherwise .eml files under MAIL_DIR."""
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx); trying again would not help."""


class FileDelivery:
    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").partition("@")[0] + ".eml"
        temporary = self.directory / (name + ".part")
        temporary.write_bytes(bytes(message))
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
        parts = self.parts
        client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with client_class(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25),
                          timeout=self.timeout) as client:
            if self.starttls:
                client.starttls()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            try:
                client.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                code = getattr(error, "smtp_code", None) or 550
                if 500 <= code < 600:
                    raise PermanentFailure(f"refused by the server ({code})") from error
                raise


def delivery_for(smtp_url: str, mail_dir: Path):
    return SmtpDelivery(smtp_url) if smtp_url else FileDelivery(mail_dir)
