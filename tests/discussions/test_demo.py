"""The demo discussions: five languages, answered questions, a best practice, a 200-reply thread, idempotent."""

import sqlalchemy as sa

from hub.discussions import demo
from hub.discussions.models import Discussion, Reply
from hub.extensions import db

#: Everyone who writes in the demo discussions.
EMAILS = sorted({demo.SEC, demo.FAC} | {entry[2] for entry in demo.DISCUSSIONS}
                | {who for entry in demo.DISCUSSIONS for who, _ in entry[6]})


def test_demo_discussions_load_once(app, create_user, create_community):
    people = {email: create_user(email=email) for email in EMAILS}
    communities = {c.slug: c for c in (create_community(visibility="public"), create_community(visibility="members"),
                                       create_community(visibility="private"))}
    assert demo.load(people, communities) == len(demo.DISCUSSIONS) + 1
    db.session.commit()
    assert demo.load(people, communities) == 0
    db.session.commit()
    discussions = db.session.scalars(sa.select(Discussion)).all()
    assert len(discussions) == len(demo.DISCUSSIONS) + 1
    assert {d.language for d in discussions} == {"en", "fr", "es", "pt", "ar"}
    best = [d for d in discussions if d.is_best_practice]
    assert len(best) == 3 and {d.community.visibility for d in best} == {"public"}
    assert db.session.scalar(sa.select(sa.func.count(Reply.id)).where(Reply.is_answer.is_(True))) >= 4
    long = next(d for d in discussions if d.title == demo.LONG_TITLE)
    assert long.reply_count == 200 and long.community.visibility == "public"
