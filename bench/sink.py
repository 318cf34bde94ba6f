"""The bench's own SMTP sink: aiosmtpd on loopback, recording when each message arrived, for
whom, and under which Message-ID (and, when asked, the message itself)."""
import logging
import threading
import time
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller

from bench.servers import free_port

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per connection would drown the figures


@dataclass(frozen=True)
class Arrival:
    at: float  # time.time()
    recipients: tuple[str, ...]
    message_id: str
    content: bytes | None


class SmtpSink:
    def __init__(self, keep_content: bool = False):
        self.port, self.keep_content = free_port(), keep_content
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *_):
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope):
        at = time.time()
        headers = BytesHeaderParser().parsebytes(envelope.content)
        arrival = Arrival(at, tuple(envelope.rcpt_tos), headers.get("Message-ID", ""),
                          envelope.content if self.keep_content else None)
        with self._lock:
            self.arrivals.append(arrival)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def snapshot(self) -> list[Arrival]:
        with self._lock:
            return list(self.arrivals)

    def clear(self) -> None:
        with self._lock:
            self.arrivals.clear()
