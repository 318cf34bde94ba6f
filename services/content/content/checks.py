"""Editorial checks shown to writers before publishing (with the preview): nudges, never a block.
Images without alt text, heading levels skipped (the page's title is the h1, so a body starts at
##), links whose text says nothing out of context ("click here", or none), and sentences long
enough to lose a reader (plain-language guidance: about 25 words at most)."""
import re

from content.text import markdown

VAGUE_LINKS = {"", "click here", "here", "click", "read more", "more", "link", "this link", "this"}
LONG_SENTENCE = 25
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def editorial_checks(body: str) -> list[dict]:
    """Each finding as {"check": name, "message": what to change}, in the order they occur."""
    found, level = [], 1
    for token in markdown.parse(body):
        if token.type == "heading_open":
            found += _heading(int(token.tag[1]), level)
            level = int(token.tag[1])
        elif token.type == "inline":
            found += _images(token.children or []) + _links(token.children or []) + _sentences(token.content)
    return found


def _heading(level: int, before: int) -> list[dict]:
    if level == 1:
        return [_finding("heading", "A heading of level 1 repeats the page's title: start the body's headings at ##.")]
    if level > before + 1:
        return [_finding("heading", f"A heading of level {level} follows one of level {before}: do not skip a level "
                                    f"(screen reader users move by headings).")]
    return []


def _images(children) -> list[dict]:
    return [_finding("alt_text", f"The image {child.attrs.get('src', '')} has no alt text: say what it shows.")
            for child in children if child.type == "image" and not child.content.strip()]


def _links(children) -> list[dict]:
    found, text, href = [], None, ""
    for child in children:
        if child.type == "link_open":
            text, href = [], child.attrs.get("href", "")
        elif child.type == "link_close" and text is not None:
            words = " ".join(text).strip()
            if words.lower().rstrip(".") in VAGUE_LINKS:
                said = f"says {words!r}" if words else "has no text"
                found.append(_finding("link_text", f"The link to {href} {said}: say where it goes."))
            text = None
        elif text is not None and child.type in ("text", "code_inline"):
            text.append(child.content)
    return found


def _sentences(content: str) -> list[dict]:
    found = []
    for sentence in SENTENCE_END.split(" ".join(content.split())):
        words = sentence.split()
        if len(words) > LONG_SENTENCE:
            found.append(_finding("long_sentence", f"A sentence of {len(words)} words (\"{' '.join(words[:6])} …\"): "
                                                   f"consider splitting it; {LONG_SENTENCE} words or fewer read best."))
    return found


def _finding(check: str, message: str) -> dict:
    return {"check": check, "message": message}
