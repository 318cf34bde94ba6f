"""Micro-caching of public pages: a page rendered for one visitor is served to the next ones for up
to PAGE_CACHE_SECONDS (1; 0 switches it off), as nginx or Varnish would in front of a public site.
At an opening thousands of people load the same few pages at once: each worker then reads and
renders each page about once a second instead of once a request.

What may be kept: the answer to a GET of a view marked `@cached_page`, keyed by its path and query
string, when it is a 200 that sets no cookie of its own. Only a page that is the same for everyone
may be marked: its view never reads the session (Flask cannot tell a read from a look, so this is
the view's promise; the page after sending a form, which reads it, is not marked).
The form's CSRF token is the one part of a page that is each visitor's own: while a page is
rendered for the cache, `csrf_token()` writes a placeholder, and every answer, fresh or kept, has
the placeholder replaced by a token made for this request (which sets this visitor's session
cookie). What a page shows (places available) may lag by the cache's seconds; a form sent is always
decided against the log, so a lagging page can never overbook.

The cache is per process, bounded in entries (query strings are chosen by strangers) and evicts
the least recently used; its clock is the service's (injected), so tests move time instead of waiting.
"""
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request
from flask_wtf.csrf import generate_csrf

ENTRIES = 256


class PageCache:
    """Kept answers by key: (stored at, status, headers, body); at most `entries` of them."""

    def __init__(self, seconds: float, clock: Callable[[], datetime], entries: int = ENTRIES):
        self.seconds, self.entries, self.clock = seconds, entries, clock
        self.placeholder = secrets.token_hex(16)  # unknown outside this process: no page can contain it by chance
        self._kept: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: str) -> tuple | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None or not 0 <= (self.clock() - found[0]).total_seconds() < self.seconds:
                return None  # a clock moved back counts as expired too
            self._kept.move_to_end(key)
            return found[1:]

    def put(self, key: str, status: int, headers: list, body: bytes) -> None:
        with self._lock:
            self._kept[key] = (self.clock(), status, headers, body)
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)


def install(app: Flask, cache: PageCache) -> None:
    """The app's cache, and its `csrf_token()` for templates where the app has CSRF protection
    (Flask-WTF offers its own both as a global and from a context processor: ours replaces both)."""
    app.extensions["page_cache"] = cache
    if "csrf" in app.extensions:
        app.jinja_env.globals["csrf_token"] = _form_token
        app.context_processor(lambda: {"csrf_token": _form_token})


def cached_page(view):
    """Serve the view's GET answers from the cache while they are fresh (see the module's note)."""
    @wraps(view)
    def cached(*args, **kwargs):
        cache = current_app.extensions["page_cache"]
        if not cache.seconds or request.method != "GET":
            return view(*args, **kwargs)
        key = request.path + "?" + request.query_string.decode("latin-1")
        found = cache.get(key)
        if found is None:
            found = _rendered(cache, key, view, args, kwargs)
        status, headers, body = found
        return Response(_with_token(cache, body), status, headers)
    return cached


def _rendered(cache: PageCache, key: str, view, args, kwargs) -> tuple[int, list, bytes]:
    """The view's answer with the placeholder for the token, kept when nothing in it is one visitor's."""
    g.page_cache_rendering = True
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        g.page_cache_rendering = False
    headers = [(name, value) for name, value in response.headers if name != "Content-Length"]
    body = response.get_data()
    token_made = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g  # a real token: never kept
    if response.status_code == 200 and "Set-Cookie" not in response.headers and not token_made:
        cache.put(key, response.status_code, headers, body)
    return response.status_code, headers, body


def _with_token(cache: PageCache, body: bytes) -> bytes:
    """The page with this visitor's own token for the placeholder (a page without a form is untouched)."""
    placeholder = cache.placeholder.encode()
    return body.replace(placeholder, generate_csrf().encode()) if placeholder in body else body


def _form_token() -> str:
    if g.get("page_cache_rendering"):
        return current_app.extensions["page_cache"].placeholder
    return generate_csrf()
