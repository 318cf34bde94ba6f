"""The guide's words as readers see them: Markdown rendered with raw HTML off and only safe links,
and what changed between two revisions, word by word."""
import difflib
import html
import re

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http:", "https:", "mailto:")
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
    """(kind, words) runs, kind "same", "added" or "removed", from a diff of the two texts' words."""
    old, new = before.split(), after.split()
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("equal",):
            runs.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(new[j1:j2])))
    return runs


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
