"""The guide's words as readers see them: Markdown rendered with raw HTML off and only safe links,
and what changed between two revisions, word by word."""
import difflib
import html
import re

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http:", "https:", "mailto:")
EXACT_DIFF_LIMIT = 4_000_000  # words before x words after, beyond which the diff is approximate
SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_link(url: str) -> bool:
    """Relative links, fragments and http(s)/mailto only: markdown-it lets data:image through by
    default, and nothing else a reader could be sent to (javascript:, data:, vbscript:) survives."""
    found = SCHEME.match(url)
    return found is None or f"{found.group(1).lower()}:" in SAFE_SCHEMES


markdown = MarkdownIt("commonmark", {"html": False})
markdown.validateLink = safe_link


def render(body: str) -> str:
    return markdown.render(body)


def word_changes(before: str, after: str) -> list[tuple[str, str]]:
    """(kind, words) runs, kind "same", "added" or "removed", from a diff of the two texts' words.
    The words both share at the start and the end are set aside first, and a middle too large for
    an exact diff in good time (difflib is quadratic on repetitive text) is diffed with difflib's
    own heuristic, which treats very common words as junk."""
    old, new = before.split(), after.split()
    head = _shared_run(old, new)
    tail = _shared_run(old[head:][::-1], new[head:][::-1])
    middle_old, middle_new = old[head:len(old) - tail], new[head:len(new) - tail]
    runs = [("same", " ".join(old[:head]))] if head else []
    exact = len(middle_old) * len(middle_new) <= EXACT_DIFF_LIMIT
    matcher = difflib.SequenceMatcher(a=middle_old, b=middle_new, autojunk=not exact)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(middle_old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(middle_old[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(middle_new[j1:j2])))
    return runs + ([("same", " ".join(old[len(old) - tail:]))] if tail else [])


def _shared_run(old: list[str], new: list[str]) -> int:
    """How many words the two lists share from their start."""
    shared = 0
    for a, b in zip(old, new):
        if a != b:
            break
        shared += 1
    return shared


def changes_html(before: str, after: str) -> Markup:
    """The changes as HTML: <del> and <ins> carry words a screen reader announces with their kind
    (visually hidden text), not only colour."""
    parts = []
    for kind, words in word_changes(before, after):
        if kind == "same":
            parts.append(escape(words))
        elif kind == "added":
            parts.append(Markup('<ins><span class="visually-hidden">[added: </span>{}'
                                '<span class="visually-hidden">]</span></ins>').format(words))
        else:
            parts.append(Markup('<del><span class="visually-hidden">[removed: </span>{}'
                                '<span class="visually-hidden">]</span></del>').format(words))
    return Markup(" ").join(parts)


def change_summary(before: str, after: str) -> str:
    """'12 words added, 3 removed' (or 'First published' with nothing before)."""
    if not before:
        return "First published."
    runs = word_changes(before, after)
    added = sum(len(words.split()) for kind, words in runs if kind == "added")
    removed = sum(len(words.split()) for kind, words in runs if kind == "removed")
    return f"{added} word{'s' if added != 1 else ''} added, {removed} removed."


TAGS = re.compile(r"<[^>]*>")
MARKS = ("\ue000", "\ue001")  # private-use characters that bracket a match; never left in indexed text


def plain(body: str) -> str:
    """The words of a Markdown body without its markup, for the search index."""
    words = html.unescape(TAGS.sub(" ", render(body)))
    return " ".join(words.translate({ord(mark): None for mark in MARKS}).split())


def marked(found: str) -> Markup:
    """Text from the search index with its matches bracketed by MARKS, as HTML: everything escaped,
    then each bracketed match in <mark>; a match cut off at the end of an excerpt is closed."""
    escaped = str(escape(found))
    opened = escaped.count(MARKS[0]) - escaped.count(MARKS[1])
    return Markup(escaped.replace(MARKS[0], "<mark>").replace(MARKS[1], "</mark>") + "</mark>" * max(opened, 0))
