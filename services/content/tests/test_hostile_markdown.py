"""A corpus of hostile Markdown (and titles, bylines and tags around it) through every page and feed
that shows writing: nothing executable survives. Executable means a tag that runs or embeds
(script, iframe, object, embed, svg, math, style, form, base, meta refresh...), an event-handler
attribute, or a link or source whose scheme is not http(s) or mailto (javascript:, vbscript:, data:),
however it is spelled (case, entities, control characters)."""
import html
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from shared.actors import Actor
from shared.settings import DEVELOPMENT_SECRET

from content.domain.commands import PublishRevision, WriteArticle, WriteSection

EDITOR = Actor.system("test")
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](%20javascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![a picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    '<a href="https://example.org" onclick="alert(1)">hi</a>',
    '<div><p><span><iframe src="javascript:alert(1)"></iframe></span></p></div>',
    "<svg onload=alert(1)><math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<object data="data:text/html,<script>alert(1)</script>"></object><embed src=x.swf>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:/">',
    '<form action="javascript:alert(1)"><button formaction=javascript:alert(1)>x</button></form>',
    '[x](https://example.org "\\" onmouseover=\\"alert(1)")',
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "```html\n<script>alert(1)</script>\n```\n\n`<img src=x onerror=alert(1)>`",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "> " * 5000 + "deep",
    "- " * 3000 + "deep",
    "*" * 10000 + "emphasis",
    "[" * 10000 + "](javascript:alert(1))",
    "<div>" * 3000 + "nested" + "</div>" * 3000,
    "a " * 24_000,
]
EXECUTABLE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "svg", "math", "style", "base", "meta",
                   "link"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset",
                  "cite", "longdesc"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")  # as the URL standard finds one, after CONTROL is taken out
CONTROL = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$|[\t\n\r]")


def unsafe_url(value: str) -> bool:
    found = SCHEME.match(CONTROL.sub("", html.unescape(value or "")).lower())
    return found is not None and found.group(1) not in ("http", "https", "mailto")


def own_feed_link(tag: str, attrs: list[tuple]) -> bool:
    """A list's link to its Atom feed: a path of this site's, a tag's at most (a tag is a slug)."""
    found = dict(attrs)
    return tag == "link" and set(found) == {"rel", "type", "title", "href"} and found["rel"] == "alternate" \
        and found["type"] == "application/atom+xml" and re.fullmatch(r"/[a-z0-9/-]+/feed\.atom", found["href"]) is not None


class ExecutableFinder(HTMLParser):
    """Collects what could run, given the page's own script, stylesheet, meta and forms as allowed."""

    def __init__(self, allowed_tags: set[tuple[str, tuple]]):
        super().__init__(convert_charrefs=True)
        self.allowed, self.found = allowed_tags, []

    def handle_starttag(self, tag, attrs):
        if tag in EXECUTABLE_TAGS and (tag, tuple(attrs)) not in self.allowed and not own_feed_link(tag, attrs):
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "style"):
                self.found.append(f"{name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and unsafe_url(value):
                self.found.append(f"{name}={value!r} on <{tag}>")


def executable(document: str, allowed: set | None = None) -> list[str]:
    finder = ExecutableFinder(allowed or set())
    finder.feed(document)
    finder.close()
    return finder.found


def _tags_of(document: str) -> set:
    tags = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add((tag, tuple(attrs)))
    Collect().feed(document)
    return tags


@pytest.fixture
def hostile(service, catch_up):
    for n, body in enumerate(HOSTILE):
        title, words = f"<script>alert({n})</script> title {n}", {"body": body}
        for revision, text in enumerate((body, body + "\n\nand <b onmouseover=alert(1)>more</b>")):
            service.handle(WriteSection(actor=EDITOR, slug=f"h{n}", title=title, body=text, position=n + 1,
                                        based_on=revision, publish=True))
        for kind in ("post", "case_study"):
            service.handle(WriteArticle(actor=EDITOR, kind=kind, slug=f"h{n}", title=title,
                                        summary='<img src=x onerror=alert(1)> "javascript:alert(1)"',
                                        author="<script>alert(1)</script>", tags=["hostile"], based_on=0, publish=True,
                                        **words, **({"organisation": "<iframe src=javascript:alert(1)>",
                                                     "sector": "housing"} if kind == "case_study" else {})))
    catch_up()
    return len(HOSTILE)


def pages(count: int) -> list[str]:
    each = [f"/guide/h{n}" for n in range(count)] + [f"/guide/h{n}/revisions/1" for n in range(count)] \
        + [f"/guide/h{n}/changes?from=1&to=2" for n in range(count)] + [f"/guide/h{n}/history" for n in range(count)] \
        + [f"/posts/h{n}" for n in range(count)] + [f"/case-studies/h{n}" for n in range(count)]
    return ["/", "/guide", "/posts", "/posts?tag=hostile", "/case-studies", "/case-studies?sector=housing",
            "/search?q=alert", "/search?q=click", "/search?q=deep", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
            *each]


def test_nothing_executable_survives_into_a_page(client, hostile):
    frame = _tags_of(client.get("/search").get_data(as_text=True))
    survived = {}
    for path in pages(hostile):
        answer = client.get(path)
        assert answer.status_code == 200, path
        if found := executable(answer.get_data(as_text=True), frame):
            survived[path] = found
    assert survived == {}


def test_nothing_executable_survives_into_a_feed(client, hostile):
    survived = {}
    for path in ("/guide/feed.atom", "/posts/feed.atom", "/posts/tags/hostile/feed.atom", "/case-studies/feed.atom"):
        feed = ElementTree.fromstring(client.get(path).data)
        entries = list(feed.iter("{http://www.w3.org/2005/Atom}entry"))
        assert entries, path
        for element in feed.iter():
            markup = element.text if element.get("type") == "html" else html.escape(element.text or "")
            found = executable(markup or "") + [f"{name}={value}" for name, value in element.attrib.items()
                                                if name == "href" and unsafe_url(value)]
            if found:
                survived.setdefault(path, []).extend(found)
    assert survived == {}


def test_nothing_executable_survives_into_an_editors_preview(client, hostile):
    for kind in ("guide/sections", "posts", "case-studies"):
        for n in range(hostile):
            preview = client.get(f"/api/{kind}/h{n}/revisions/1/preview", headers=ADMIN)
            assert preview.status_code == 200 and executable(preview.json["html"]) == [], (kind, n)


def test_the_checker_finds_what_it_looks_for():
    """The test above can fail: each kind of survivor is found when it is there."""
    for survivor in ('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">',
                     '<a href=" JAVA&#x09;SCRIPT:alert(1)">', '<img src="data:image/svg+xml,x">', '<iframe>',
                     '<a href="vbscript:x">', '<div style="x">'):
        assert executable(survivor), survivor
    for harmless in ('<a href="/guide/x">', '<a href="https://example.org/a:b">', '<a href="mailto:a@b.org">',
                     '<a href="#top">', '<a href="?tag=x">', "&lt;script&gt;alert(1)&lt;/script&gt;"):
        assert executable(harmless) == [], harmless
