"""Demo library: items of every kind in several languages, with small real media and captions in two languages.

Media are generated with ffmpeg's test sources when ffmpeg is installed, else copied from the tiny
bundled clips in demo_media/. Items are found again by slug, so loading twice creates nothing twice.
"""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from hub.communities.models import ACTIVE, Community
from hub.extensions import db
from hub.library import media, processing, services, storage
from hub.library.models import LibraryItem
from hub.library.text import to_vtt
from hub.library.demo_content import CAPTIONS, ITEMS
from hub.slugs import rename

BUNDLED = Path(__file__).resolve().parent / "demo_media"


def _generate(kind: str) -> Path:
    """A short real clip in tmp/: ffmpeg test pattern and tone, or the bundled copy."""
    target = storage.temp_path()
    if media.available():
        video = ["-f", "lavfi", "-i", "testsrc=size=640x360:rate=15:duration=12"] if kind == "video" else []
        audio = ["-f", "lavfi", "-i", "sine=frequency=300:beep_factor=4:duration=12"]
        codecs = (["-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest", "-f", "mp4"]
                  if kind == "video" else ["-c:a", "libopus", "-b:a", "96k", "-f", "ogg"])
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *video, *audio, *codecs, str(target)],
                       check=True, timeout=120)
    else:
        shutil.copyfile(BUNDLED / ("clip.webm" if kind == "video" else "talk.ogg"), target)
    return target


def _community(communities: dict, visibility: str):
    return next((c for c in communities.values() if c.visibility == visibility), None)


def load(people: dict, organisations: dict, communities: dict | None = None) -> int:
    """Create the demo items that do not exist yet; returns how many were created."""
    if communities is None:  # the communities' demo has run before: use what it made
        communities = {c.slug: c for c in db.session.scalars(sa.select(Community).where(
            Community.status == ACTIVE, Community.deleted_at.is_(None)).order_by(Community.id))}
    created = 0
    for spec in ITEMS:
        if db.session.scalar(sa.select(LibraryItem.id).where(LibraryItem.slug == spec["slug"])):
            continue
        created += 1
        item = _create(spec, people, organisations, communities)
        if spec.get("media"):
            services.replace_original(item, _generate(spec["media"]), spec["filename"])
            for language, cues in CAPTIONS.items():
                services.set_caption(item, language, _vtt(cues))
            if item.media_status == "pending":
                db.session.commit()  # process_media ends the transaction before ffmpeg runs (hub.jobs.services)
                processing.process_media(item.id)
    db.session.flush()
    return created


def _create(spec: dict, people: dict, organisations: dict, communities: dict) -> LibraryItem:
    owner = people[spec["owner"]]
    community = _community(communities, spec["community"]) if spec.get("community") else None
    data = {key: spec.get(key, default) for key, default in (
        ("kind", "document"), ("title", ""), ("description", ""), ("languages", []), ("themes", []),
        ("countries", []), ("regions", []), ("licence", "cc-by"), ("url", ""), ("is_public", False),
        ("speakers", ""), ("transcript", ""))}
    data["organisation_id"] = owner.organisation_id
    data["community_id"] = community.id if community is not None else None
    data["session_date"] = date.fromisoformat(spec["session_date"]) if spec.get("session_date") else None
    item = services.create_item(data, owner, review=False)  # the demo's people are established members
    rename(item, spec["slug"])
    if spec.get("text"):
        temp = storage.temp_path()
        temp.write_text(spec["text"], encoding="utf-8")
        services.keep_file(item, temp, spec["filename"])
    return item


def _vtt(cues) -> bytes:
    lines = ["WEBVTT", ""]
    for number, line in enumerate(cues):
        lines += [f"00:00:{number * 3:02d}.000 --> 00:00:{number * 3 + 3:02d}.000", line, ""]
    return to_vtt("\n".join(lines).encode()).encode()
