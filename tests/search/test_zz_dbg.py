from tests.search.test_visibility import results
def test_dbg(app, client, corpus):
    from hub.discussions import services as discussions
    from hub.extensions import db
    from hub.db import utcnow
    bourses = corpus["discussion-bourses"]
    reply = discussions.add_reply(bourses, corpus["author"], "Una experiencia en Guatemala con becas.")
    db.session.commit()
    reply.deleted_at = utcnow()
    db.session.commit()
    t = results(client, "Guatemala")
    print(t[t.index("<main"):t.index("</main>")])
