"""Learning communities (formerly communities of practice) and who belongs to them."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import SoftDeleteMixin, TimestampMixin, utcnow
from hub.extensions import db
from hub.organisations.countries import REGIONS
from hub.themes import theme_label

VISIBILITIES = {
    "public": _l("Public: anyone can read"),
    "members": _l("Hub members: anyone signed in can read"),
    "private": _l("Private: only the community's members can read"),
}
JOIN_POLICIES = {
    "open": _l("Open: anyone can join"),
    "request": _l("On request: a facilitator approves"),
    "invitation": _l("By invitation only"),
}
#: Community states: 'proposed' by a member waits for the secretariat; 'active'; 'archived'.
PROPOSED, ACTIVE, ARCHIVED = "proposed", "active", "archived"
#: Membership states.
MEMBER, REQUESTED, INVITED, DECLINED, LEFT, REMOVED = "member", "requested", "invited", "declined", "left", "removed"


class Community(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: A key of hub.organisations.countries.REGIONS, or None for the whole movement.
    region: Mapped[str | None] = mapped_column(sa.String(30))
    visibility: Mapped[str] = mapped_column(sa.String(10), default="members")
    join_policy: Mapped[str] = mapped_column(sa.String(12), default="open")
    #: A private community's title is listed to non-members only when the secretariat allows it.
    discoverable: Mapped[bool] = mapped_column(default=False)
    #: Every post waits for a facilitator's approval, not only new members' first posts.
    reviews_every_post: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Members may propose learning sessions; facilitators approve or decline each.
    members_propose_sessions: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[str] = mapped_column(sa.String(10), default=ACTIVE)
    #: The create form's one-time token: submitting the same form twice makes one community, not two.
    form_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    created_by = relationship("User", foreign_keys=[created_by_id])
    memberships = relationship("Membership", back_populates="community", lazy="select")

    @property
    def is_private(self) -> bool:
        return self.visibility == "private"

    @property
    def is_open(self) -> bool:
        return self.status == ACTIVE and not self.is_deleted

    @property
    def visibility_label(self) -> str:
        return str(VISIBILITIES.get(self.visibility, self.visibility))

    @property
    def join_policy_label(self) -> str:
        return str(JOIN_POLICIES.get(self.join_policy, self.join_policy))

    @property
    def region_label(self) -> str:
        return str(REGIONS.get(self.region, self.region)) if self.region else str(_l("The whole movement"))

    @property
    def theme_labels(self) -> list[str]:
        return [theme_label(key) for key in self.themes or []]


class Membership(TimestampMixin, db.Model):
    """A person's standing in one community; one row per person and community."""

    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=MEMBER)
    is_facilitator: Mapped[bool] = mapped_column(default=False)
    #: The request's or the decision's message (join on request, invitation).
    message: Mapped[str] = mapped_column(sa.Text, default="")
    joined_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    #: When the person last opened the community page: drives "new since your last visit".
    last_visit_at: Mapped[datetime | None]
    #: The visit before that one: "new since your last visit" counts from here (so reloading within the
    #: hour keeps showing the same new items; last_visit_at moves at most once an hour).
    previous_visit_at: Mapped[datetime | None]

    community = relationship("Community", back_populates="memberships")
    user = relationship("User")

    @property
    def is_active_member(self) -> bool:
        return self.status == MEMBER


class Follow(db.Model):
    """A person follows a community or a discussion (exactly one of them): used by notifications."""

    __tablename__ = "follow"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "community_id", name="uq_follow_user_community"),
        sa.UniqueConstraint("user_id", "discussion_id", name="uq_follow_user_discussion"),
        sa.CheckConstraint("(community_id IS NULL) <> (discussion_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community.id"), index=True)
    #: No foreign key here: communities sit below discussions (STYLE.md) and the table must be creatable
    #: without the discussions package; it removes the rows that point at its discussions itself.
    #: Two unique constraints, not one over three columns: NULLs are distinct, so that one would never bite.
    discussion_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
