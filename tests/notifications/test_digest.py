"""Digests: due by each person's clock, in their language, grouped, summarised, with "you could help"."""

from datetime import datetime, timezone

import sqlalchemy as sa

from hub.db import utcnow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.notifications import digest, services
from hub.notifications.models import KINDS, DigestSetting, Notification
from hub.survey.models import SUBMITTED, Submission, SurveyRound

from .conftest import plain

MONDAY_5_UTC = datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)
PEOPLE = [  # locale, time zone, the date they read on that Monday at 05:00 UTC
    ("en", "Europe/London", "November 23, 2026"),
    ("fr", "Europe/Paris", "23 novembre 2026"),
    ("es", "America/Mexico_City", "22 de noviembre de 2026"),
    ("pt", "America/Sao_Paulo", "23 de novembro de 2026"),
    ("ar", "Asia/Riyadh", "23 نوفمبر 2026"),
]


def test_digest_in_five_languages_and_time_zones(create_user, create_community, add_member, start, smtp, send):
    author = create_user(name="Amara")
    community = create_community(author, title="Financing watch")  # its creator writes; nobody else is in it
    readers = {}
    for locale, zone, _ in PEOPLE:
        readers[locale] = create_user(email=f"{locale}@example.org", locale=locale, timezone=zone)
        add_member(community, readers[locale])
    start(community, author, title="Tax justice for schools")
    assert digest.run_digests(MONDAY_5_UTC) == len(PEOPLE)
    send()
    for locale, zone, day in PEOPLE:
        (message,) = smtp.messages(to=f"{locale}@example.org")
        assert message["Content-Language"] == locale
        assert day in message["Subject"]
        text = plain(message)
        assert "Financing watch" in text and "Tax justice for schools" in text
        assert "http://localhost/discussions/" in text
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = smtp.messages(to="ar@example.org")[0].get_body(preferencelist=("html",)).get_content()
    assert 'dir="rtl"' in html
    assert digest.run_digests(MONDAY_5_UTC) == 0  # not twice in one week


def test_weekly_digest_waits_for_monday_morning_in_the_persons_zone(app, create_user):
    person = create_user(timezone="Asia/Tokyo")
    setting = DigestSetting(user_id=person.id, frequency="weekly",
                            last_sent_at=datetime(2026, 11, 16, 0, 0, tzinfo=timezone.utc))  # Monday 09:00 Tokyo
    sunday_night = datetime(2026, 11, 22, 21, 0, tzinfo=timezone.utc)  # Monday 06:00 in Tokyo
    assert not digest.is_due(person, setting, sunday_night)
    assert digest.is_due(person, setting, datetime(2026, 11, 22, 22, 0, tzinfo=timezone.utc))  # 07:00 Tokyo
    setting.frequency = "off"
    assert not digest.is_due(person, setting, datetime(2026, 11, 30, tzinfo=timezone.utc))


def test_thousand_notifications_are_summarised(create_user, create_community, start, smtp, send):
    community = create_community(title="Busy community")
    reader, actor = create_user(email="busy@example.org"), create_user(name="Sender")
    about = start(community, actor)  # each notice must be about something the reader may see when sent
    db.session.add_all([Notification(recipient_id=reader.id, actor_id=actor.id, kind="new_discussion",
                                     community_id=community.id, object_type="discussion", object_id=about.id,
                                     title=f"Topic {i}", link=f"/discussions/{i}") for i in range(1, 1001)])
    db.session.commit()
    digest.run_digests()
    send()
    text = plain(smtp.messages(to="busy@example.org")[0])
    assert "1000 new notifications" in text and "and 990 more" in text
    assert text.count("Topic ") == digest.ITEMS_PER_COMMUNITY
    assert "http://localhost/notifications" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.emailed_at.is_(None))) == 0


def test_you_could_help_with_questions_in_strong_themes(create_user, create_org, create_community, add_member, start,
                                                        smtp, send):
    org = create_org()
    survey_round = SurveyRound(title="2026", questionnaire={}, questionnaire_version="1")
    db.session.add(survey_round)
    db.session.flush()
    db.session.add(Submission(round_id=survey_round.id, organisation_id=org.id, status=SUBMITTED,
                              submitted_at=utcnow(), answers={"theme.financing.strength": 4,
                                                              "theme.gender.strength": 1}))
    db.session.commit()
    helper = create_user(email="helper@example.org", organisation=org, locale="es")
    asker = create_user()
    open_community, secret = create_community(), create_community(visibility="private")
    add_member(open_community, asker), add_member(secret, asker)
    start(open_community, asker, title="How do we read a budget?", kind="question", themes=["financing"])
    start(open_community, asker, title="Girls' enrolment data?", kind="question", themes=["gender"])
    start(secret, asker, title="Secret financing question", kind="question", themes=["financing"])
    answered = start(open_community, asker, title="Answered financing question", kind="question",
                     themes=["financing"])
    reply = discussions.add_reply(answered, create_user(), "Here")
    reply.is_answer = True
    db.session.commit()

    digest.run_digests()
    send()
    (message,) = smtp.messages(to="helper@example.org")
    text = plain(message)
    assert message["Content-Language"] == "es"
    assert "How do we read a budget?" in text
    for absent in ("Girls' enrolment", "Secret financing", "Answered financing"):
        assert absent not in text


def test_digest_unsubscribe_and_settings(create_user, create_community, add_member, start, smtp, send, auth, client):
    community = create_community()
    reader, author = create_user(email="reader@example.org"), create_user()
    add_member(community, reader), add_member(community, author)
    start(community, author)
    digest.run_digests()
    send()
    link = smtp.messages(to="reader@example.org")[0]["List-Unsubscribe"].strip("<>")
    assert client.post("/" + link.split("/", 3)[3]).status_code == 200
    assert digest.frequency_of(reader.id) == "off"

    auth.login("reader@example.org")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert '<option selected value="off">' in page or 'value="off" selected' in page
    response = client.post("/notifications/settings", data={"digest": "daily", **{
        f"kind_{kind}": "never" for kind in KINDS}})  # every kind the settings page lists
    assert response.status_code == 302 and digest.frequency_of(reader.id) == "daily"
    bad = client.post("/notifications/settings", data={"digest": "hourly"})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)


def test_replies_in_one_discussion_become_one_line(create_user, create_community, add_member, start, smtp, send):
    community = create_community()
    alice, bob = create_user(email="alice@example.org"), create_user()
    add_member(community, alice), add_member(community, bob)
    discussion = start(community, alice, title="Teacher shortages")
    for i in range(3):
        discussions.add_reply(discussion, bob, f"Point {i}")
    db.session.commit()
    digest.run_digests()
    send()
    text = plain(smtp.messages(to="alice@example.org")[0])
    assert "3 replies in “Teacher shortages”" in text and "3 new notifications" in text


def test_digest_skips_what_was_emailed_at_once_and_kinds_set_to_never(create_user, create_community, add_member, start,
                                                                      smtp, send):
    reader, author = create_user(email="reader@example.org", handle="reader"), create_user()
    community = create_community(author)
    add_member(community, reader)
    start(community, author, title="Mentioning you", body="Hi @reader")  # mention: emailed at once
    services.set_preference(reader.id, "new_discussion", "never")
    db.session.commit()
    start(community, author, title="Quiet news")
    send()
    assert digest.run_digests() == 0  # nothing left for the digest
    send()
    assert [m["To"] for m in smtp.messages()] == ["reader@example.org"]
    assert "Mentioning you" in smtp.messages()[0]["Subject"]


def test_only_moderators_are_offered_the_review_email_choice(create_user, create_community, add_member, auth, client):
    community = create_community()
    facilitator, reader = create_user(email="fac@example.org"), create_user(email="reader@example.org")
    add_member(community, reader)
    add_member(community, facilitator, facilitator=True)
    db.session.commit()
    auth.login("reader@example.org")
    assert "kind_review" not in client.get("/notifications/settings").get_data(as_text=True)
    auth.logout()
    auth.login("fac@example.org")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert 'name="kind_review"' in page and "Posts waiting for your review" in page
