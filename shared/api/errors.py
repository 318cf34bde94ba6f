"""One translation of domain errors to HTTP for every service: the error's status, and its text as
the message, in the same JSON body (or page) as every other error (shared/web.py renders it)."""
from flask import current_app
from werkzeug.exceptions import Conflict, HTTPException, default_exceptions

from shared.errors import DomainError


def as_http(error: DomainError) -> HTTPException:
    return default_exceptions.get(error.status, Conflict)(str(error))


def answer_domain_error(error: DomainError):
    return current_app.handle_http_exception(as_http(error))
