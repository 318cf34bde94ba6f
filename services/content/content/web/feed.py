"""Atom feeds, all made by one builder (`atom`, on feedgen): the guide's updates (one entry per
published revision, saying what changed, linking to the revision's own address), and posts and
case studies, all of a kind or one tag's (each entry with its summary and its body rendered as the
page renders it)."""
from dataclasses import dataclass, field
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import url_for

NAME = "Co-production Week Scotland"


@dataclass(frozen=True)
class Entry:
    address: str  # also its id
    title: str
    published: datetime
    updated: datetime
    summary: str
    author: str = NAME
    content_html: str | None = None  # already rendered safely (content.text.render)
    categories: list[str] = field(default_factory=list)


def atom(*, title: str, self_url: str, alternate_url: str, entries: list[Entry], now: datetime) -> bytes:
    """entries newest first; the feed is as new as its newest entry (or now, when it has none)."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.author({"name": NAME})
    feed.language("en-GB")
    feed.link(href=self_url, rel="self")
    feed.link(href=alternate_url, rel="alternate")
    feed.updated(max((e.updated for e in entries), default=now))
    for entry in entries:
        _add(feed, entry)
    return feed.atom_str(pretty=True)


def _add(feed: FeedGenerator, entry: Entry) -> None:
    added = feed.add_entry(order="append")
    added.id(entry.address)
    added.title(entry.title)
    added.link(href=entry.address, rel="alternate")
    added.author({"name": entry.author})
    added.published(entry.published)
    added.updated(entry.updated)
    added.summary(entry.summary)
    if entry.content_html is not None:
        added.content(entry.content_html, type="html")
    for category in entry.categories:
        added.category(term=category)


def guide_feed(published: list[dict], now: datetime) -> bytes:
    """published: revisions newest first (content.projections.publications)."""
    return atom(title="The Co-production Guide: updates", now=now,
                self_url=url_for("pages.guide_feed_view", _external=True),
                alternate_url=url_for("pages.guide", _external=True),
                entries=[_revision_entry(revision) for revision in published])


def _revision_entry(revision: dict) -> Entry:
    return Entry(address=url_for("pages.revision", slug=revision["slug"], number=revision["revision"], _external=True),
                 title=f"{revision['title']} (revision {revision['revision']})",
                 published=revision["published_at"], updated=revision["published_at"],
                 summary=revision["change_summary"] or "Published.")


def articles_feed(articles: list[dict], now: datetime, *, title: str, self_url: str, alternate_url: str,
                  page_endpoint: str) -> bytes:
    """articles: live ones, newest first (content.article_projections.live_articles)."""
    entries = [Entry(address=url_for(page_endpoint, slug=a["slug"], _external=True), title=a["title"],
                     published=a["first_published_at"], updated=a["published_at"], summary=a["summary"],
                     author=a["author"], content_html=a["body_html"], categories=a["tags"]) for a in articles]
    return atom(title=title, self_url=self_url, alternate_url=alternate_url, entries=entries, now=now)
