"""Notifications and each person's email preferences (mail itself waits in hub/mail.py's outbox)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import utcnow
from hub.extensions import db

#: What a notification is about: kind → (label on the settings page, default email choice).
REPLY, MENTION, ANSWER = "reply", "mention", "answer"
NEW_DISCUSSION, NEW_ITEM = "new_discussion", "new_item"
JOIN_REQUEST, JOIN_OUTCOME, MODERATION = "join_request", "join_outcome", "moderation"
REPORT_OUTCOME, REVIEW, REPORT = "report_outcome", "review", "report"
SURVEY_ROUND, INTRODUCTION = "survey_round", "introduction"
SESSION_CHANGED, SESSION_MATERIAL, SESSION_SEAT, SESSION_REMINDER, SESSION_PROPOSAL = (
    "session_changed", "session_material", "session_seat", "session_reminder", "session_proposal")
EXCHANGE_REQUEST, EXCHANGE_ANSWER = "exchange_request", "exchange_answer"
ANSWERS_REOPENED = "answers_reopened"
CONFIRM_ANSWERS = "confirm_answers"  # (not "review…": that is the moderators' kind_review)
KINDS = {
    REPLY: (_l("Replies in discussions you follow"), "digest"),
    MENTION: (_l("Someone mentions you"), "immediately"),
    ANSWER: (_l("Your reply is marked as the answer"), "immediately"),
    NEW_DISCUSSION: (_l("New discussions in communities you follow"), "digest"),
    NEW_ITEM: (_l("New library items in communities you follow"), "digest"),
    JOIN_REQUEST: (_l("Requests to join a community you facilitate"), "immediately"),
    # The communities and survey features email these two themselves: no second email by default.
    JOIN_OUTCOME: (_l("The answer to your request to join"), "never"),
    MODERATION: (_l("Moderation decisions about your posts"), "immediately"),
    REPORT_OUTCOME: (_l("What became of your reports"), "immediately"),
    # Moderators' alerts: a safety risk is emailed at once whatever the choice (unless "never").
    REVIEW: (_l("Posts waiting for your review (as a moderator)"), "digest"),
    REPORT: (_l("New reports in communities you moderate"), "digest"),
    SURVEY_ROUND: (_l("A capacity survey round opens"), "immediately"),
    INTRODUCTION: (_l("An introduction to another organisation"), "never"),
    # Learning sessions email these themselves, in each person's time zone (SELF_MAILED).
    SESSION_CHANGED: (_l("A session you registered for changed or was cancelled"), "immediately"),
    SESSION_MATERIAL: (_l("The recording of a session you registered for"), "immediately"),
    SESSION_SEAT: (_l("A seat freed for you at a session"), "immediately"),
    SESSION_REMINDER: (_l("Reminders before your sessions"), "immediately"),
    SESSION_PROPOSAL: (_l("The answer to a session you proposed"), "immediately"),
    # The survey emails these two itself, in each focal point's language.
    EXCHANGE_REQUEST: (_l("An organisation asks yours for a peer exchange"), "never"),
    EXCHANGE_ANSWER: (_l("The answer to your organisation's request for a peer exchange"), "never"),
    # The survey emails focal points itself when their answers are reopened.
    ANSWERS_REOPENED: (_l("Your organisation's survey answers are reopened"), "never"),
    CONFIRM_ANSWERS: (_l("You are asked to confirm another organisation's survey answers"), "immediately"),
}
#: Kinds whose feature sends its own, richer email when the choice is "at once" (through hub.mail.queue's
#: `unsubscribe`, which skips it otherwise): notify() then records them as emailed instead of sending a second.
SELF_MAILED = (SESSION_CHANGED, SESSION_MATERIAL, SESSION_SEAT, SESSION_REMINDER, SESSION_PROPOSAL)
#: Notices about a person's own post or report: the caller names the person, who is told even when
#: they can no longer see the post, and the notice stays when the post is hidden or deleted.
PERSONAL = (MODERATION, REPORT_OUTCOME)
#: Kinds whose recipients the caller chooses (authors, reporters, moderators): they are told about a post
#: others cannot see yet (waiting for review) or any more (hidden).
NAMED = (*PERSONAL, REVIEW, REPORT)
#: What became of a report (the report's state once closed), as its reporter is told.
REPORT_OUTCOMES = {"dismissed": _l("No action was needed"), "hidden": _l("The content was hidden"),
                   "revision": _l("The author was asked to revise it"),
                   "locked": _l("The discussion was locked"), "deleted": _l("The content was deleted")}
#: Email choices per kind, and digest frequencies.
EMAIL_CHOICES = {"immediately": _l("Email me at once"), "digest": _l("Put it in my digest"),
                 "never": _l("No email")}
DIGEST_CHOICES = {"daily": _l("Daily"), "weekly": _l("Weekly"), "off": _l("No digest")}


class Notification(db.Model):
    """Something that happened which one person should hear about."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_inbox", "recipient_id", "withdrawn_at", "read_at"),
                      sa.Index("ix_notification_object", "object_type", "object_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: What it is about: a word of hub/kinds.py and an id ('discussion', 'reply', 'item', …).
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    #: The discussion a reply belongs to, as 'discussion:12', so deleting a discussion withdraws all of it.
    thread: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community.id"), index=True)
    #: What the list and emails show, taken when created (lists then need no join per kind).
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    #: When it went out in a digest (or was emailed at once), so no digest repeats it.
    emailed_at: Mapped[datetime | None]
    #: For moderation notices: {"action": "hide" | "revise" | "approve" | "reject", "reason": …}
    #: or, for a report's outcome, {"outcome": a key of REPORT_OUTCOMES}.
    details: Mapped[dict | None] = mapped_column(sa.JSON, default=None)

    recipient = relationship("User", foreign_keys=[recipient_id])
    actor = relationship("User", foreign_keys=[actor_id])
    community = relationship("Community")

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind][0]) if self.kind in KINDS else self.kind

    def sentence(self, html: bool = False) -> str:
        """What happened, in the current language. As HTML, people's words (a name, a title) are each
        isolated in a <bdi>, so an English title keeps its direction inside an Arabic sentence."""
        if html:
            return Markup(self._sentence(lambda text: Markup("<bdi>%s</bdi>") % text, escape))
        return self._sentence(str, str)

    def _sentence(self, isolate, plain) -> str:
        actor = isolate(self.actor.name) if self.actor else _("Someone")
        title = isolate(self.title)
        texts = {
            REPLY: lambda: _("%(actor)s replied in “%(title)s”", actor=actor, title=title),
            MENTION: lambda: _("%(actor)s mentioned you in “%(title)s”", actor=actor, title=title),
            ANSWER: lambda: _("Your reply in “%(title)s” is marked as the answer", title=title),
            NEW_DISCUSSION: lambda: _("%(actor)s started “%(title)s”", actor=actor, title=title),
            NEW_ITEM: lambda: _("%(actor)s added “%(title)s” to the library", actor=actor, title=title),
            JOIN_REQUEST: lambda: _("%(actor)s asks to join %(title)s", actor=actor, title=title),
            JOIN_OUTCOME: lambda: _("Your request to join %(title)s has been answered", title=title),
            MODERATION: lambda: self._moderation_sentence(title, isolate(self.detail("reason"))),
            REPORT_OUTCOME: lambda: _("Your report about “%(title)s”: %(outcome)s", title=title, outcome=plain(str(
                REPORT_OUTCOMES.get(self.detail("outcome"), _("the moderators looked at it"))))),
            REVIEW: lambda: _("%(actor)s's post in “%(title)s” is waiting for your review", actor=actor,
                              title=title),
            REPORT: lambda: (_("Safety risk reported: “%(title)s” needs a moderator now", title=title)
                             if self.detail("urgent") else
                             _("“%(title)s” was reported to the moderators", title=title)),
            SURVEY_ROUND: lambda: _("The capacity survey round “%(title)s” is open", title=title),
            INTRODUCTION: lambda: _("The secretariat introduced %(title)s", title=title),
            SESSION_CHANGED: lambda: self._session_change_sentence(title),
            SESSION_MATERIAL: lambda: _("The recording or slides of “%(title)s” are online", title=title),
            SESSION_SEAT: lambda: _("A seat freed: you are now registered for “%(title)s”", title=title),
            SESSION_REMINDER: lambda: _("Reminder: “%(title)s” starts soon", title=title),
            SESSION_PROPOSAL: lambda: (_("Your proposed session “%(title)s” is announced", title=title)
                                       if self.detail("decision") == "approved" else
                                       _("Your proposed session “%(title)s” was declined", title=title)),
            EXCHANGE_REQUEST: lambda: _("%(actor)s asks for a peer exchange: %(title)s", actor=actor, title=title),
            EXCHANGE_ANSWER: lambda: _("Your request for a peer exchange has been answered: %(title)s",
                                       title=title),
            ANSWERS_REOPENED: lambda: _("The secretariat reopened your organisation's answers to “%(title)s”: "
                                        "change them, then submit again", title=title),
            CONFIRM_ANSWERS: lambda: _("%(actor)s asks you to read the survey answers of %(title)s, then confirm or "
                                      "question them", actor=actor, title=title),
        }
        return texts[self.kind]() if self.kind in texts else title

    def detail(self, key: str) -> str:
        """One value of the notice's details ("" when absent)."""
        return (self.details or {}).get(key) or ""

    def _session_change_sentence(self, title) -> str:
        texts = {"time": lambda: _("“%(title)s” has a new time", title=title),
                 "place": lambda: _("“%(title)s” has a new place or link", title=title),
                 "cancelled": lambda: _("“%(title)s” is cancelled", title=title)}
        change = self.detail("change")
        return texts[change]() if change in texts else _("“%(title)s” changed", title=title)

    def _moderation_sentence(self, title, reason) -> str:
        texts = {
            "hide": lambda: _("The moderators hid your post in “%(title)s”. Why: %(reason)s",
                              title=title, reason=reason),
            "revise": lambda: _("The moderators ask you to revise your post in “%(title)s”: %(reason)s",
                                title=title, reason=reason),
            "approve": lambda: _("Your post in “%(title)s” is approved: others can see it now", title=title),
            "reject": lambda: _("The moderators did not publish your post in “%(title)s”. Why: %(reason)s",
                                title=title, reason=reason),
        }
        action = self.detail("action")
        return texts[action]() if action in texts else _("A moderator acted on your post in “%(title)s”",
                                                         title=title)


class EmailPreference(db.Model):
    """How one person wants one kind of notification by email (no row: the kind's default)."""

    __tablename__ = "email_preference"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", name="uq_email_preference_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    email: Mapped[str] = mapped_column(sa.String(12))


class DigestSetting(db.Model):
    """A person's digest frequency and when the last one was sent."""

    __tablename__ = "digest_setting"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    frequency: Mapped[str] = mapped_column(sa.String(8), default="weekly")
    last_sent_at: Mapped[datetime | None]
