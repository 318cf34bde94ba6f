"""Structured logs: one JSON object a line, carrying the correlation id of the work in hand.

Log identifiers (fact positions, message ids, person ids), never names, emails or access needs.
"""
import contextvars
import json
import logging
import os
import sys
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

correlation_id = contextvars.ContextVar("correlation_id", default=None)


@contextmanager
def correlated(value: str | None):
    """Run a block with a correlation id (a new one when none is given)."""
    token = correlation_id.set(value or str(uuid.uuid4()))
    try:
        yield correlation_id.get()
    finally:
        correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": correlation_id.get(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(level: str | None = None) -> None:
    """JSON lines on stderr at LOG_LEVEL; calling it again changes nothing but the level."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))


def fields(**values) -> dict:
    """Extra structured fields for one log call: log.info("...", extra=fields(position=3))."""
    return {"fields": values}
