"""Alerts, the Desk count, flags that hide a post, claiming, internal notes, filters and bulk actions,
as moderators would notice them."""

import time

import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.desk import triage
from hub.desk.models import OPEN, CaseClaim, ModerationNote, Report
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.notifications.models import Notification



def report(client, kind, object_id, reason="spam", note=""):
    return client.post(f"/report/{kind}/{object_id}", data={"reason": reason, "note": note})


def text(response) -> str:
    return response.get_data(as_text=True)


def as_person(auth, person):
    auth.logout()
    auth.login(person.email)


def actions():
    db.session.expire_all()
    return [a for a in db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id))]


def test_a_safety_report_reaches_the_facilitator_and_the_secretariat_at_once_in_their_language(
        client, auth, world, mail):
    people = world["people"]
    people["facilitator"].locale = "es"
    db.session.commit()
    as_person(auth, people["member"])
    report(client, "discussion", world["discussion"].id, "safety", "it gives an address")
    sent = mail()
    to_facilitator = sent.last_to("facilitator@example.org")
    assert f"/desk/queue/discussion/{world['discussion'].id}" in to_facilitator.get_body(("plain",)).get_content()
    assert 'lang="es"' in to_facilitator.get_body(("html",)).get_content()
    assert sent.to("secretariat@example.org")
    assert not sent.to("other@example.org")  # the other community's facilitator
    as_person(auth, people["facilitator"])
    home = client.get("/").get_data(as_text=True)
    assert 'class="badge">1 ' in home  # "1 pending" on the Desk link, in the page's language


def test_a_spam_report_waits_for_the_digest_but_shows_in_the_app(client, auth, world, mail):
    as_person(auth, world["people"]["member"])
    report(client, "reply", world["reply"].id, "spam")
    assert not mail().to("facilitator@example.org")
    assert not mail().to("secretariat@example.org")  # the community has a facilitator
    alerts = db.session.scalars(sa.select(Notification).where(Notification.kind == "report")).all()
    assert [n.recipient.email for n in alerts] == ["facilitator@example.org"]
    assert alerts[0].emailed_at is None  # the digest picks it up
    as_person(auth, world["people"]["facilitator"])
    assert "was reported to the moderators" in client.get("/notifications").get_data(as_text=True)


def test_the_desk_count_is_one_query_per_request(app, client, auth, world, count_queries):
    as_person(auth, world["people"]["member"])
    report(client, "reply", world["reply"].id, "spam")
    as_person(auth, world["people"]["facilitator"])
    with app.test_request_context():
        facilitator = world["people"]["facilitator"]
        with count_queries() as queries:
            first, second = triage.pending_count(facilitator), triage.pending_count(facilitator)
        assert (first, second, queries()) == (1, 1, 1)
    assert triage.pending_count(world["people"]["other_facilitator"]) == 0


def test_safety_reports_from_three_members_hide_the_post_until_a_moderator_decides(
        client, auth, world, create_user, add_member, mail):
    discussion = world["discussion"]
    reporters = [world["people"]["member"]] + [create_user() for _ in range(2)]
    for person in reporters[1:]:
        add_member(world["first"], person)
    for number, person in enumerate(reporters, start=1):
        as_person(auth, person)
        report(client, "discussion", discussion.id, "safety")
        db.session.expire_all()
        assert (db.session.get(Discussion, discussion.id).hidden_at is not None) == (number == 3)
    assert actions().count("auto_hide") == 1
    as_person(auth, world["people"]["member"])
    assert client.get(f"/discussions/{discussion.id}").status_code in (403, 404)
    as_person(auth, world["people"]["facilitator"])
    page = client.get(f"/desk/queue/discussion/{discussion.id}").get_data(as_text=True)
    assert "Hidden after safety reports from several members" in page
    assert "their reports: 0 acted on, 0 dismissed" in page
    response = client.post(f"/desk/queue/discussion/{discussion.id}", data={"action": "hide", "reason": "An address"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id).hidden_by_id == world["people"]["facilitator"].id
    page = client.get(f"/desk/queue/discussion/{discussion.id}").get_data(as_text=True)
    assert "their reports: 1 acted on, 0 dismissed" in page


def test_a_case_claimed_a_moment_ago_is_not_taken_over(client, auth, world):
    discussion = world["discussion"]
    as_person(auth, world["people"]["member"])
    report(client, "discussion", discussion.id, "spam")
    as_person(auth, world["people"]["facilitator"])
    client.post(f"/desk/queue/discussion/{discussion.id}/claim", data={"submit": "Claim"})
    as_person(auth, world["people"]["secretariat"])
    page = text(client.post(f"/desk/queue/discussion/{discussion.id}/claim", data={"submit": "Claim"},
                            follow_redirects=True))
    assert "claimed this case a moment ago; nothing was changed" in page
    claim = db.session.scalar(sa.select(CaseClaim))
    assert claim.claimed_by_id == world["people"]["facilitator"].id
    queue = client.get("/desk/queue").get_data(as_text=True)
    assert "<bdi>" + world["people"]["facilitator"].name + "</bdi>" in queue
    assert actions() == ["claim"]
    client.post(f"/desk/queue/discussion/{discussion.id}/claim", data={"release": "Give back"})
    assert actions() == ["claim", "release"]


def test_the_claim_is_a_conditional_update(app, world):
    discussion, people = world["discussion"], world["people"]
    with app.test_request_context():
        assert triage.claim("discussion", discussion, people["facilitator"])
        assert not triage.claim("discussion", discussion, people["secretariat"])
        assert triage.claim("discussion", discussion, people["facilitator"])  # holding it still
    assert db.session.scalar(sa.select(sa.func.count(CaseClaim.id))) == 1


def test_internal_notes_are_for_moderators_only_and_audited(client, auth, world):
    discussion = world["discussion"]
    as_person(auth, world["people"]["member"])
    report(client, "discussion", discussion.id, "harassment")
    assert client.post(f"/desk/queue/discussion/{discussion.id}/notes",
                       data={"about": "case", "body": "peek"}).status_code == 403
    as_person(auth, world["people"]["facilitator"])
    client.post(f"/desk/queue/discussion/{discussion.id}/notes", data={"about": "case", "body": "Asked the author"})
    client.post(f"/desk/queue/discussion/{discussion.id}/notes",
                data={"about": "author", "body": "Second warning this month"})
    notes = db.session.scalars(sa.select(ModerationNote).order_by(ModerationNote.id)).all()
    assert [(n.subject, n.subject_id) for n in notes] == [("discussion", discussion.id),
                                                          ("person", world["people"]["author"].id)]
    assert actions() == ["note", "note"]
    empty = client.post(f"/desk/queue/discussion/{discussion.id}/notes", data={"about": "case", "body": "  "})
    assert empty.status_code == 400 and "This field is required." in text(empty)
    page = client.get(f"/desk/queue/discussion/{discussion.id}").get_data(as_text=True)
    assert "Asked the author" in page and "Second warning this month" in page
    as_person(auth, world["people"]["other_facilitator"])
    assert client.get(f"/desk/queue/discussion/{discussion.id}").status_code == 403
    as_person(auth, world["people"]["author"])
    assert "Second warning" not in client.get(f"/discussions/{discussion.id}").get_data(as_text=True)


def test_filters_and_orders_of_the_queue(client, auth, world, create_user, add_member):
    discussion, reply = world["discussion"], world["reply"]
    others = [create_user() for _ in range(2)]
    for person in others:
        add_member(world["first"], person)
    as_person(auth, world["people"]["member"])
    report(client, "discussion", discussion.id, "spam")
    for person in others:
        as_person(auth, person)
        report(client, "reply", reply.id, "harassment")
    as_person(auth, world["people"]["secretariat"])
    link_d, link_r = f"/desk/queue/discussion/{discussion.id}", f"/desk/queue/reply/{reply.id}"
    page = client.get("/desk/queue?sort=flags").get_data(as_text=True)
    assert page.index(link_r) < page.index(link_d)
    page = client.get("/desk/queue?sort=oldest").get_data(as_text=True)
    assert page.index(link_d) < page.index(link_r)
    page = client.get("/desk/queue?reason=harassment").get_data(as_text=True)
    assert link_r in page and link_d not in page
    page = client.get(f"/desk/queue?community={world['second'].id}").get_data(as_text=True)
    assert link_r not in page and link_d not in page
    assert link_d not in client.get("/desk/queue?age=7").get_data(as_text=True)
    assert link_d in client.get("/desk/queue?age=nonsense&community=abc&status=%00").get_data(as_text=True)
    assert link_d not in client.get("/desk/queue?status=dismissed").get_data(as_text=True)


def test_bulk_dismiss_of_500_cases_asks_first_then_applies_bounded(app, client, auth, world, mail, count_queries):
    discussion, member = world["discussion"], world["people"]["member"]
    replies = [Reply(discussion_id=discussion.id, author_id=world["people"]["author"].id, body=f"r{n}",
                     body_html=f"<p>r{n}</p>") for n in range(500)]
    db.session.add_all(replies)
    db.session.flush()
    db.session.add_all([Report(reporter_id=member.id, kind="reply", object_id=r.id, community_id=world["first"].id,
                               author_id=r.author_id, reason="spam") for r in replies])
    db.session.commit()
    with app.test_request_context():
        started = time.perf_counter()
        assert triage.pending_count(world["people"]["facilitator"]) == 500
        print(f"\nthe Desk count with 500 open cases: {(time.perf_counter() - started) * 1000:.1f} ms, one query")
    as_person(auth, world["people"]["facilitator"])
    cases = [f"reply:{r.id}" for r in replies]
    too_many = client.post("/desk/bulk", data={"case": cases + [f"reply:{world['reply'].id}"], "action": "dismiss"},
                           follow_redirects=True)
    assert too_many.status_code == 400 and "Choose at most 500 cases at once." in text(too_many)
    confirm = client.post("/desk/bulk", data={"case": cases, "action": "dismiss", "reason": "", "submit": "Review"})
    assert confirm.status_code == 200 and "This applies to 500 cases" in text(confirm)
    assert db.session.scalar(sa.select(sa.func.count(Report.id)).where(Report.status == OPEN)) == 500
    started = time.perf_counter()
    with count_queries() as queries:
        done = client.post("/desk/bulk", data={"case": cases, "action": "dismiss", "reason": "Old spam wave",
                                               "confirm": "Apply"}, follow_redirects=True)
    took = time.perf_counter() - started
    assert "Done for 500 of 500 cases" in text(done)
    assert db.session.scalar(sa.select(sa.func.count(Report.id)).where(Report.status == OPEN)) == 0
    assert actions().count("dismiss") == 500
    # The reporter hears of each outcome in the app, and by email in one digest, not in 500 emails.
    outcomes = db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.kind == "report_outcome", Notification.recipient_id == member.id))
    assert outcomes == 500 and not mail().to(member.email)
    print(f"\nbulk dismiss of 500 cases: {took:.1f} s, {queries()} statements")
    assert queries() < 500 * 15  # bounded per case, whatever the machine's load


def test_bulk_hide_needs_a_reason_and_keeps_the_selection(client, auth, world):
    as_person(auth, world["people"]["member"])
    report(client, "reply", world["reply"].id, "spam")
    as_person(auth, world["people"]["facilitator"])
    response = client.post("/desk/bulk", data={"case": [f"reply:{world['reply'].id}"], "action": "hide",
                                               "reason": "", "confirm": "Apply"})
    assert response.status_code == 400
    assert f'value="reply:{world["reply"].id}"' in text(response)
    db.session.expire_all()
    assert db.session.get(Reply, world["reply"].id).hidden_at is None


def flag_to_hidden(client, auth, world, create_user, add_member):
    """Three members report a safety risk on the discussion: it is hidden by flags."""
    reporters = [world["people"]["member"]] + [create_user(locale="pt") for _ in range(2)]
    for person in reporters[1:]:
        add_member(world["first"], person)
    for person in reporters:
        as_person(auth, person)
        report(client, "discussion", world["discussion"].id, "safety")
    db.session.expire_all()
    assert db.session.get(Discussion, world["discussion"].id).hidden_at is not None
    return reporters


def test_restoring_a_post_hidden_by_flags_closes_its_case_and_tells_the_reporters(
        client, auth, world, create_user, add_member):
    discussion = world["discussion"]
    reporters = flag_to_hidden(client, auth, world, create_user, add_member)
    as_person(auth, world["people"]["facilitator"])
    case = f"/desk/queue/discussion/{discussion.id}"
    assert case in text(client.get("/desk/queue")) and 'class="badge">1 ' in text(client.get("/"))
    client.post(case, data={"action": "restore", "reason": "An address of a public office"})
    assert case not in text(client.get("/desk/queue"))
    assert " pending</span>" not in text(client.get("/"))  # the Desk count dropped to nothing
    assert db.session.scalar(sa.select(sa.func.count(Report.id)).where(Report.status == OPEN)) == 0
    restored = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "restore")).all()
    assert len(restored) == 1 and len(restored[0].details["reports"]) == 3
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == "report_outcome")).all()
    assert sorted(n.recipient_id for n in told) == sorted(p.id for p in reporters)
    as_person(auth, reporters[0])
    assert client.get(f"/discussions/{discussion.id}").status_code == 200
    assert "Aucune action n&#39;était nécessaire" in text(client.get("/notifications"))  # the member reads French


def test_dismissing_the_flags_shows_the_post_again_through_the_same_restore(
        client, auth, world, create_user, add_member):
    discussion = world["discussion"]
    flag_to_hidden(client, auth, world, create_user, add_member)
    as_person(auth, world["people"]["secretariat"])
    client.post("/desk/bulk", data={"case": [f"discussion:{discussion.id}"], "action": "dismiss", "confirm": "y",
                                    "reason": "not a risk"})
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id).hidden_at is None
    assert actions().count("restore") == 1 and "dismiss" not in actions()
    assert " pending</span>" not in text(client.get("/"))


def test_notes_on_a_person_show_and_are_added_on_their_desk_page_as_on_a_case(client, auth, world):
    author, discussion = world["people"]["author"], world["discussion"]
    as_person(auth, world["people"]["member"])
    report(client, "discussion", discussion.id, "harassment")
    as_person(auth, world["people"]["secretariat"])
    client.post(f"/desk/queue/discussion/{discussion.id}/notes", data={"about": "author", "body": "Warned on a case"})
    page = text(client.get(f"/desk/people/{author.id}"))
    assert "Warned on a case" in page
    empty = client.post(f"/desk/people/{author.id}/notes", data={"about": "case", "body": " "})
    assert empty.status_code == 400 and "This field is required." in text(empty)
    client.post(f"/desk/people/{author.id}/notes", data={"about": "case", "body": "Called them; they agreed"})
    assert "Called them; they agreed" in text(client.get(f"/desk/queue/discussion/{discussion.id}"))
    assert actions() == ["note", "note"]
    as_person(auth, world["people"]["facilitator"])  # moderates the case, not the person's account page
    assert client.post(f"/desk/people/{author.id}/notes", data={"about": "case", "body": "x"}).status_code == 403
    assert actions() == ["note", "note"]
