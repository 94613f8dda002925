"""The demo discussions: five languages, answered questions, a best practice, a 200-reply thread, idempotent."""

import sqlalchemy as sa

from hub.discussions import demo
from hub.discussions.models import Discussion, Reply
from hub.extensions import db

EMAILS = [demo.SEC, demo.FAC, demo.LUCIA, demo.CLAIRE, demo.MOUSSA, demo.LAYLA, demo.JOAO, demo.RAHIM]


def test_demo_discussions_load_once(app, create_user, make_community):
    people = {email: create_user(email=email) for email in EMAILS}
    communities = {c.slug: c for c in (make_community("public"), make_community("members"),
                                       make_community("private"))}
    assert demo.load(people, communities) == len(demo.DISCUSSIONS) + 1
    db.session.commit()
    assert demo.load(people, communities) == 0
    db.session.commit()
    discussions = db.session.scalars(sa.select(Discussion)).all()
    assert len(discussions) == len(demo.DISCUSSIONS) + 1
    assert {d.language for d in discussions} == {"en", "fr", "es", "pt", "ar"}
    best = [d for d in discussions if d.is_best_practice]
    assert len(best) == 1 and best[0].community.visibility == "public"
    assert db.session.scalar(sa.select(sa.func.count(Reply.id)).where(Reply.is_answer.is_(True))) >= 4
    long = next(d for d in discussions if d.title == demo.LONG_TITLE)
    assert long.reply_count == 200 and long.community.visibility == "public"
