"""Images for the guide, posts and case studies: uploaded with their alt text (multipart/form-data,
`file` and `alt`), their type found from their bytes, refused past MEDIA_MAX_BYTES; each served at
/media/<sha-256>.<png|jpg|webp>, the address to use in Markdown."""
from flask import abort, current_app, request, url_for

from shared.api import ADMIN, Blueprint, current_actor, requires

from content import media_store
from content.api.media.schemas import AltIn, FileIn, MediaOut
from content.api.roles import CONTRIBUTOR, EDITOR
from content.article_projections import uploaded_media
from content.domain.commands import UploadMedia
from content.domain.media import EXTENSIONS, sniff

blueprint = Blueprint("media", __name__, url_prefix="/api/media", description="Images, stored by content hash")
MULTIPART_OVERHEAD = 64 * 1024


@blueprint.before_request
def _allow_an_image():
    """This blueprint alone takes bodies past the site's limit: up to the image limit and the form around it."""
    request.max_content_length = media_store.max_bytes() + MULTIPART_OVERHEAD


def _out(digest: str, media_type: str, size: int, alt: str) -> dict:
    return {"digest": digest, "media_type": media_type, "size": size, "alt": alt,
            "url": url_for("media_file.image", digest=digest, extension=EXTENSIONS[media_type], _external=True)}


@blueprint.post("")
@requires(ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
@blueprint.arguments(FileIn, location="files")
@blueprint.arguments(AltIn, location="form")
@blueprint.response(201, MediaOut)
def upload(files, form):
    """An image with its alt text: 201 when new, 200 when the same bytes were uploaded before."""
    data = files["file"].read(media_store.max_bytes() + 1)
    if len(data) > media_store.max_bytes():
        abort(413, f"file: an image may be at most {media_store.max_bytes()} bytes.")
    media_type = sniff(data)
    if media_type is None:
        abort(422, "file: send a PNG, JPEG or WebP image (its bytes are checked, not its name).")
    digest, new = current_app.extensions["content"].handle(UploadMedia(actor=current_actor(), data=data,
                                                                      media_type=media_type, alt=form["alt"]))
    return _out(digest, media_type, len(data), form["alt"]), 201 if new else 200


@blueprint.get("")
@requires(ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
@blueprint.response(200, MediaOut(many=True))
def listed():
    """The newest 500 images, with their alt text and address."""
    with current_app.extensions["content"].runtime.engine.connect() as db:
        return [_out(m["digest"], m["media_type"], m["size"], m["alt"]) for m in uploaded_media(db)]
