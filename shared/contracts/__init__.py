"""Message contracts between services: the envelope (envelope.py), then one module per producing
service with its message types and their schemas (registration.py, content.py). Import a message type from its
producer's module; this package re-exports what every user needs."""
from shared.contracts import content, registration
from shared.contracts.envelope import (REGISTRY, ContractError, Envelope, MessageType, decode, envelope,
                                       message_id)

PAYLOADS = {key: defined.schema for key, defined in REGISTRY.items()}  # every known type, by (name, version)

__all__ = ["REGISTRY", "PAYLOADS", "ContractError", "Envelope", "MessageType", "decode", "envelope",
           "message_id", "registration", "content"]
