"""Library items (recordings, videos, documents, links), their files, captions and unfinished uploads."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import HideableMixin, SoftDeleteMixin, TimestampMixin, utcnow
from hub.extensions import db

KINDS = {
    "recording": _l("Recording of a session"),
    "video": _l("Video"),
    "document": _l("Document"),
    "link": _l("Link"),
}
LICENCES = {
    "cc-by": _l("Creative Commons Attribution (CC BY)"),
    "cc-by-sa": _l("Creative Commons Attribution-ShareAlike (CC BY-SA)"),
    "cc-by-nc": _l("Creative Commons Attribution-NonCommercial (CC BY-NC)"),
    "cc-by-nc-sa": _l("Creative Commons Attribution-NonCommercial-ShareAlike (CC BY-NC-SA)"),
    "cc-by-nd": _l("Creative Commons Attribution-NoDerivatives (CC BY-ND)"),
    "cc0": _l("Public domain (CC0)"),
    "all-rights-reserved": _l("All rights reserved"),
}
#: What a stored file is to its item.
ORIGINAL, POSTER, AUDIO, VIDEO_360 = "original", "poster", "audio", "360p"
#: Media processing states shown on the item's page.
MEDIA_NONE, MEDIA_PENDING, MEDIA_DONE, MEDIA_FAILED = "none", "pending", "done", "failed"


class LibraryItem(TimestampMixin, SoftDeleteMixin, HideableMixin, db.Model):
    __tablename__ = "library_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(12), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    countries: Mapped[list] = mapped_column(sa.JSON, default=list)
    regions: Mapped[list] = mapped_column(sa.JSON, default=list)
    licence: Mapped[str] = mapped_column(sa.String(24), default="cc-by")
    url: Mapped[str] = mapped_column(sa.String(2000), default="")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community.id"), index=True)
    #: Only for items outside any community: readable without signing in.
    is_public: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    session_date: Mapped[date | None] = mapped_column(sa.Date)
    speakers: Mapped[str] = mapped_column(sa.String(500), default="")
    #: The session's year, else the year it was added: the year filter.
    year: Mapped[int] = mapped_column(index=True)
    transcript: Mapped[str] = mapped_column(sa.Text, default="")
    #: Text extracted from the document at upload (bounded), for search.
    extracted_text: Mapped[str] = mapped_column(sa.Text, default="")
    duration: Mapped[float | None]
    codecs: Mapped[str] = mapped_column(sa.String(200), default="")
    media_status: Mapped[str] = mapped_column(sa.String(10), default=MEDIA_NONE)
    media_error: Mapped[str] = mapped_column(sa.Text, default="")
    #: Counts only (never who): bumped with one UPDATE ... SET n = n + 1 (hub.library.services.bump).
    view_count: Mapped[int] = mapped_column(default=0, server_default="0")
    download_count: Mapped[int] = mapped_column(default=0, server_default="0")

    owner = relationship("User", foreign_keys=[owner_id])
    organisation = relationship("Organisation")
    community = relationship("Community")
    files = relationship("MediaFile", back_populates="item", order_by="MediaFile.id")
    captions = relationship("Caption", back_populates="item", order_by="Caption.language")

    def file(self, role: str):
        """The item's file with this role (original, poster, audio, 360p), or None."""
        return next((f for f in self.files if f.role == role), None)

    @property
    def is_media(self) -> bool:
        return self.kind in ("recording", "video")

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def licence_label(self) -> str:
        return str(LICENCES.get(self.licence, self.licence))

    def search_text(self) -> str:
        """Everything search should index about this item, as one plain text."""
        parts = [self.title, self.description, self.speakers, self.transcript, self.extracted_text]
        parts += [caption.text for caption in self.captions]
        return "\n".join(part for part in parts if part)


class MediaFile(db.Model):
    """A stored file: the original upload or a version derived from it."""

    __tablename__ = "library_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("library_item.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default=ORIGINAL)
    #: Generated name under the instance's library folder; never anything the person typed.
    storage_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    mimetype: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item = relationship("LibraryItem", back_populates="files")

    @property
    def is_playable(self) -> bool:
        return self.mimetype.startswith(("audio/", "video/"))


class Caption(db.Model):
    """A WebVTT captions track in one language."""

    __tablename__ = "library_caption"
    __table_args__ = (sa.UniqueConstraint("item_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("library_item.id"), index=True)
    language: Mapped[str] = mapped_column(sa.String(12))
    vtt: Mapped[str] = mapped_column(sa.Text)
    #: The cues' words only, for the transcript and search.
    text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item = relationship("LibraryItem", back_populates="captions")


class Upload(db.Model):
    """A resumable (tus) upload in progress or finished but not yet attached to an item."""

    __tablename__ = "library_upload"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    length: Mapped[int] = mapped_column(sa.BigInteger)
    offset: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    metadata_: Mapped[dict] = mapped_column("metadata", sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    @property
    def is_complete(self) -> bool:
        return self.offset >= self.length
