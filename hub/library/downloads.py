"""Every byte of a library file, checked against the item's visibility on each request.

Files are never served as HTML: audio, video, images and captions play inline with their checked
type, anything else is an attachment; all carry nosniff and a sandboxing Content-Security-Policy.
Range requests get 206 (send_file with conditional=True), so players can seek.
"""

from flask import Blueprint, Response, abort, request, send_file

from hub.library import services, storage
from hub.library.access import load_item_or_404

bp = Blueprint("files", __name__)
INLINE = ("audio/", "video/", "image/jpeg", "image/png", "image/webp")
FILE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _protect(response: Response) -> Response:
    """Headers every file response carries, whoever serves it."""
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.cache_control.private = True
    response.vary.add("Cookie")
    return response


@bp.route("/<slug>/files/<int:file_id>")
def file(slug, file_id):
    """A stored file: inline when playable or an image (unless ?download=1), else an attachment."""
    item = load_item_or_404(slug)
    stored = next((f for f in item.files if f.id == file_id), None)
    if stored is None:
        abort(404)
    inline = stored.mimetype.startswith(INLINE) and not request.args.get("download")
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):  # a player seeking is not a new download
        services.bump(item.id, "download_count")
    response = send_file(storage.path_of(stored.storage_name), mimetype=stored.mimetype,
                         as_attachment=not inline, download_name=stored.filename, conditional=True,
                         etag=True, max_age=0)
    return _protect(response)


@bp.route("/<slug>/captions/<int:caption_id>.vtt")
def captions(slug, caption_id):
    """A WebVTT track for the player (or to download)."""
    item = load_item_or_404(slug)
    caption = next((c for c in item.captions if c.id == caption_id), None)
    if caption is None:
        abort(404)
    response = Response(caption.vtt, mimetype="text/vtt")
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{item.slug}.{caption.language}.vtt"'
    response.cache_control.max_age = 0  # revalidated, like the files: a repeat view gets 304, not the track again
    response.add_etag()
    return _protect(response.make_conditional(request))
