"""Reading a paged list's links as a browser would follow them."""
import html
import re
from urllib.parse import parse_qsl, urlsplit


def pages_linked(page: str) -> dict:
    """rel ("prev", "next") -> (path, query as a dict) of the page's links to its neighbours."""
    return {rel: (urlsplit(html.unescape(href)).path, dict(parse_qsl(urlsplit(html.unescape(href)).query)))
            for rel, href in re.findall(r'<a rel="(prev|next)" href="([^"]+)"', page)}
