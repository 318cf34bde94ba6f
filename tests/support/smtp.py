"""A real SMTP server for the tests: aiosmtpd on loopback, keeping every message it accepts."""
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class RecordingSmtpServer:
    """refuse: addresses whose RCPT is answered 550, for good."""

    def __init__(self, port: int, refuse: tuple[str, ...] = ()):
        self.port, self.refuse = port, refuse
        self.messages = []
        self.connections = []  # the client's address and port for each message: one per connection
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
            self.connections.append(session.peer)
        return "250 Message accepted for delivery"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def to(self, address: str) -> list:
        with self._lock:
            return [message for recipients, message in self.messages if address in recipients]


class ServerThatFailsQuit(RecordingSmtpServer):
    """Accepts every message, then answers QUIT with an error and drops the connection."""

    def __init__(self, port: int):
        super().__init__(port)
        self._controller = _DropQuitController(self, hostname="127.0.0.1", port=port)


class _DropQuitController(Controller):
    def factory(self):
        from aiosmtpd.smtp import SMTP

        class DropQuit(SMTP):
            async def smtp_QUIT(self, arg):
                await self.push("421 4.3.0 shutting down")
                self.transport.close()

        return DropQuit(self.handler, **self.SMTP_kwargs)


class SlowSmtpServer(RecordingSmtpServer):
    """Stores each message at once, then answers the end of its data only after `delay` seconds
    (for the recipients in `slow_for`, or for all when it is empty): a slow relay or a content filter."""

    def __init__(self, port: int, delay: float, slow_for: tuple[str, ...] = ()):
        super().__init__(port)
        self.delay, self.slow_for = delay, slow_for
        self.answered = []

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        reply = await super().handle_DATA(server, session, envelope)
        if not self.slow_for or set(envelope.rcpt_tos) & set(self.slow_for):
            await asyncio.sleep(self.delay)
        with self._lock:
            self.answered.extend(envelope.rcpt_tos)
        return reply

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(message["Message-ID"]) for _, message in self.messages]
