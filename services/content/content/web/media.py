"""Uploaded images, served by their content hash: the bytes never change under an address, so they
may be cached for ever; the type is the one found from the bytes at upload, never guessed again."""
from flask import Blueprint, Response, abort, current_app

from shared.web import runtime_of

from content import media_store
from content.domain.media import EXTENSIONS

blueprint = Blueprint("media_file", __name__)


@blueprint.get("/media/<digest>.<extension>")
def image(digest, extension):
    with runtime_of(current_app).engine.connect() as db:
        found = media_store.find(db, digest) if len(digest) == 64 else None
    if found is None or EXTENSIONS[found[0]] != extension:
        abort(404, "There is no such image.")
    media_type, data = found
    return Response(data, mimetype=media_type, headers={
        "Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'"})
