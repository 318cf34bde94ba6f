"""Commands and the registry that routes them: what a service is asked to do, and by whom.

A command is a small frozen dataclass in the imperative (`OpenActivity`), keyword-only, and always
carries its actor. A service registers one handler per command type and one per message type it
consumes, in one place (its handlers module), and bootstrap wires them:

    registry = Registry(commands={OpenActivity: handlers.open_activity},
                        messages={ACTIVITY_OPENED: handlers.list_in_programme})
    registry.handle(OpenActivity(actor=actor, activity_id=...))

Message handlers take (db, envelope) and run inside the consumer's transaction, which also records
the message id in the inbox; the consumer's queue is bound to exactly the message types listed here.
"""
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import Connection

from shared.actors import Actor
from shared.contracts import Envelope, MessageType

MessageHandler = Callable[[Connection, Envelope], None]


@dataclass(frozen=True, kw_only=True)
class Command:
    actor: Actor


@dataclass
class Registry:
    commands: dict[type, Callable[[Any], Any]] = field(default_factory=dict)
    messages: dict[MessageType, MessageHandler] = field(default_factory=dict)

    def handle(self, command: Command):
        handler = self.commands.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for the command {type(command).__name__}")
        return handler(command)

    def message_handlers(self) -> dict[str, MessageHandler]:
        """By message type name (the routing key): what the consumer dispatches on and binds."""
        return {message_type.name: handler for message_type, handler in self.messages.items()}
