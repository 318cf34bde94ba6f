"""The Atom feed of the guide's updates: one entry per published revision, saying what changed,
linking to the revision's own address (which keeps working after later revisions)."""
from feedgen.feed import FeedGenerator
from flask import url_for

NAME = "Co-production Week Scotland"


def guide_feed(published: list[dict], now) -> bytes:
    """published: revisions newest first (content.projections.publications)."""
    feed = FeedGenerator()
    feed.id(url_for("pages.guide", _external=True))
    feed.title("The Co-production Guide: updates")
    feed.author({"name": NAME})
    feed.language("en-GB")
    feed.link(href=url_for("pages.guide_feed_view", _external=True), rel="self")
    feed.link(href=url_for("pages.guide", _external=True), rel="alternate")
    feed.updated(published[0]["published_at"] if published else now)
    for revision in published:
        _entry(feed, revision)
    return feed.atom_str(pretty=True)


def _entry(feed: FeedGenerator, revision: dict) -> None:
    address = url_for("pages.revision", slug=revision["slug"], number=revision["revision"], _external=True)
    entry = feed.add_entry(order="append")
    entry.id(address)
    entry.title(f"{revision['title']} (revision {revision['revision']})")
    entry.link(href=address, rel="alternate")
    entry.published(revision["published_at"])
    entry.updated(revision["published_at"])
    entry.summary(revision["change_summary"] or "Published.")
