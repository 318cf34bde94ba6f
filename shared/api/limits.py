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
STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string, escapes and all
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
AS_SQUARE = bytes.maketrans(b"{}", b"[]")  # for depth, an object is a bracket like an array


def nesting_depth(raw: bytes, stop_above: int = MAX_DEPTH) -> int:
    """How deep the arrays and objects go, counted (up to stop_above and one) by peeling off the
    innermost pairs one level per pass: C-speed passes, never a Python loop per bracket, so that a
    256 KiB body of brackets costs milliseconds. Brackets left unmatched (malformed JSON, which the
    parser would refuse, but only after recursing through them) count as that many more levels."""
    brackets = STRINGS.sub(b"", raw).translate(AS_SQUARE, NOT_BRACKETS)
    if b"[" * (stop_above + 1) in brackets:
        return stop_above + 1  # a run of openings this long is too deep, whatever follows
    depth = 0
    while brackets and depth <= stop_above:
        peeled = brackets.replace(b"[]", b"")
        if peeled == brackets:
            break
        brackets, depth = peeled, depth + 1
    return depth + brackets.count(b"[")


def refuse_deep_json() -> None:
    """before_request of every API blueprint: only bodies the parser would read as JSON are counted."""
    if is_json(request.mimetype) and nesting_depth(request.get_data(cache=True)) > MAX_DEPTH:
        raise BadRequest(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
