"""Bodies the API refuses before parsing them: JSON nested deeper than anything it accepts.

Python's JSON parser recurses once per level, so 50,000 nested arrays end in a RecursionError (a
500). The depth is counted on the raw bytes, strings blanked out, and a body deeper than
MAX_DEPTH is a 400 before any parser sees it.
"""
import re

from flask import request
from webargs.core import is_json
from werkzeug.exceptions import BadRequest

MAX_DEPTH = 32  # the deepest body any API takes is 3 levels; this leaves room, and no recursion risk
STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(rb"[\[\]{}]")
OPENING = frozenset(b"[{")


def nesting_depth(raw: bytes, stop_above: int = MAX_DEPTH) -> int:
    """How deep the arrays and objects go (counting stops once past stop_above)."""
    deepest = level = 0
    for bracket in BRACKETS.finditer(STRINGS.sub(b'""', raw)):
        level += 1 if raw_byte(bracket) in OPENING else -1
        if level > deepest:
            deepest = level
            if deepest > stop_above:
                break
    return deepest


def raw_byte(found: re.Match) -> int:
    return found.group()[0]


def refuse_deep_json() -> None:
    """before_request of every API blueprint: only bodies the parser would read as JSON are counted."""
    if is_json(request.mimetype) and nesting_depth(request.get_data(cache=True)) > MAX_DEPTH:
        raise BadRequest(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
