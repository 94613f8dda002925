"""From a need to a plan and a peer exchange with an outcome, as a Southern focal point and a Northern one."""

from datetime import date, timedelta

import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.extensions import db
from hub.notifications.models import Notification
from hub.survey.models import Introduction
from hub.survey.plan_models import PlanAction
from tests.conftest import body
from tests.survey.conftest import full_answers


def setup_pair(create_user, create_org, submit_answers):
    seeker = create_org("Coalition sénégalaise", "SN", working_languages=["fr"])
    helper = create_org("Coalition Éducation France", "FR", working_languages=["fr"])
    submit_answers(seeker, full_answers(strength=1, need="none", **{"capacity.budget_tracking.need": "priority",
                                                                     "capacity.media.need": "some"}))
    submit_answers(helper, full_answers(strength=4, need="none", **{"offer.areas": ["budget_tracking", "media"]}))
    seeker_focal = create_user(organisation=seeker, is_focal_point=True, locale="fr", email="moussa@example.org")
    helper_focal = create_user(organisation=helper, is_focal_point=True, locale="ar", email="claire@example.org")
    return seeker, helper, seeker_focal, helper_focal


def in_english(client):
    client.post("/language", data={"lang": "en"})


def audited(action):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_need_to_plan_to_exchange_with_an_outcome(client, auth, create_user, create_org, submit_answers, outbox,
                                                  survey_round):
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    plan_url = f"/capacity/rounds/{survey_round.id}/plans/{seeker.slug}"
    auth.login(seeker_focal.email)
    in_english(client)
    page = client.get(plan_url).get_data(as_text=True)
    assert "Budget tracking" in page and "Priority need" in page and "Media engagement" in page

    # The top need becomes the plan's priority and gets an action relying on the suggested Northern coalition.
    assert client.post(f"{plan_url}/priorities", data={"areas": ["budget_tracking"]}).status_code == 302
    due = date.today() + timedelta(days=20)
    response = client.post(f"{plan_url}/actions", data={
        "area": "budget_tracking", "what": "Learn to read the national education budget", "who": "Moussa",
        "due_on": due.isoformat(), "support": "peer_exchange", "helper": str(helper.id)})
    assert response.status_code == 302
    action = db.session.scalar(sa.select(PlanAction))
    assert (action.area, action.due_on, action.helper_id, action.support) == ("budget_tracking", due, helper.id,
                                                                             "peer_exchange")
    page = client.get(plan_url).get_data(as_text=True)
    assert "Learn to read the national education budget" in page and "Coalition Éducation France" in page

    # Suggestions cover the "some support" need too, after the priority one, and say how they are ranked.
    page = client.get(f"/capacity/map/suggestions/{seeker.slug}?round={survey_round.id}").get_data(as_text=True)
    assert page.index("Priority need: Budget tracking") < page.index("Some support: Media engagement")
    assert "Priority needs come first" in page and "Ask for an introduction" in page

    # The focal point asks the Northern coalition; its focal point hears it in Arabic, by mail and in the hub.
    response = client.post(f"/capacity/exchanges/rounds/{survey_round.id}/ask/{seeker.slug}",
                           data={"helper": helper.id, "area": "budget_tracking", "message": "Budget briefs"})
    assert response.status_code == 302
    intro = db.session.scalar(sa.select(Introduction))
    assert (intro.status, intro.seeker_id, intro.helper_id, intro.goals) == ("requested", seeker.id, helper.id,
                                                                             "Budget briefs")
    to_helper = outbox.last_to("claire@example.org")
    assert to_helper["Content-Language"] == "ar" and "Coalition sénégalaise" in to_helper["Subject"]
    assert f"/capacity/exchanges/{intro.id}" in body(to_helper)
    db.session.refresh(action)
    assert action.introduction_id == intro.id  # the plan's action now points at its exchange
    assert db.session.scalar(sa.select(Notification).where(Notification.recipient_id == helper_focal.id,
                                                           Notification.kind == "exchange_request"))

    # The other side sees the request waiting on its home page and accepts.
    seeker_focal.locale = "fr"  # switching these pages to English saved it as his language: back to French
    db.session.commit()
    auth.logout()
    auth.login(helper_focal.email)
    in_english(client)
    home = client.get("/").get_data(as_text=True)
    assert "Introduction requests waiting" in home and "Coalition sénégalaise" in home
    response = client.post(f"/capacity/exchanges/{intro.id}/answer", data={"accept": "1", "note": "Avec plaisir"})
    assert response.status_code == 302
    db.session.refresh(intro)
    assert intro.status == "accepted" and intro.answered_by_id == helper_focal.id
    to_seeker = outbox.last_to("moussa@example.org")
    assert to_seeker["Content-Language"] == "fr" and "Avec plaisir" in body(to_seeker)
    assert "claire@example.org" in body(to_seeker)  # now they know whom to write to

    # The seeker records the outcome on the exchange's page; the plan shows it.
    auth.logout()
    auth.login(seeker_focal.email)
    in_english(client)
    response = client.post(f"/capacity/exchanges/{intro.id}", data={
        "goals": "Budget briefs", "sessions": "3 calls in March", "resources": "Budget guide",
        "outcome": "collaborating", "outcome_note": "A joint budget brief for the 2027 budget"})
    assert response.status_code == 302
    page = client.get(plan_url).get_data(as_text=True)
    assert "They are working together" in page and "A joint budget brief for the 2027 budget" in page
    assert "Peer exchange: Accepted" in page
    assert client.post(f"{plan_url}/actions/{action.id}", data={"status": "done", "progress": "Brief published",
                                                                "due_on": due.isoformat()}).status_code == 302
    db.session.refresh(action)
    assert action.status == "done"
    assert [audited(a) for a in ("plan_priorities", "plan_action", "plan_action_status", "request_exchange",
                                 "accept_exchange", "edit_exchange")] == [1, 1, 1, 1, 1, 1]


def test_plan_input_errors_are_explained_and_kept(client, auth, create_user, create_org, submit_answers,
                                                  survey_round):
    seeker, helper, seeker_focal, _ = setup_pair(create_user, create_org, submit_answers)
    plan_url = f"/capacity/rounds/{survey_round.id}/plans/{seeker.slug}"
    auth.login(seeker_focal.email)
    in_english(client)
    past = date.today() - timedelta(days=1)
    response = client.post(f"{plan_url}/actions", data={
        "area": "budget_tracking", "what": "Train two staff", "due_on": past.isoformat(), "support": "training"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The date is in the past" in page and "Train two staff" in page
    # Another organisation's need (the helper needs nothing; "advocacy" is not a need of the seeker).
    response = client.post(f"{plan_url}/actions", data={
        "area": "advocacy", "what": "Campaign", "due_on": (date.today() + timedelta(days=5)).isoformat(),
        "support": "training"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "not one of your organisation&#39;s needs" in page and "Campaign" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanAction)) == 0
    # Nobody writes into another organisation's plan, and it stays private to that organisation.
    response = client.post(f"/capacity/rounds/{survey_round.id}/plans/{helper.slug}/actions", data={
        "area": "budget_tracking", "what": "x", "due_on": date.today().isoformat(), "support": "training"})
    assert response.status_code == 404
    assert client.get(f"/capacity/rounds/{survey_round.id}/plans/{helper.slug}").status_code == 404


def test_plan_is_private_to_the_organisation_and_the_secretariat(client, auth, create_user, create_org,
                                                                 submit_answers, survey_round):
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    plan_url = f"/capacity/rounds/{survey_round.id}/plans/{seeker.slug}"
    colleague = create_user(organisation=seeker)
    auth.login(colleague.email)
    assert client.get(plan_url).status_code == 200
    assert client.post(f"{plan_url}/priorities", data={"areas": ["budget_tracking"]}).status_code == 403
    auth.logout()
    auth.login(create_user(is_secretariat=True).email)
    in_english(client)
    assert client.get(plan_url).status_code == 200
    assert "What is being worked on" in client.get(f"/capacity/rounds/{survey_round.id}/plans").get_data(as_text=True)
    auth.logout()
    auth.login(helper_focal.email)
    assert client.get(f"/capacity/rounds/{survey_round.id}/plans").status_code == 403


def test_requests_to_oneself_or_after_a_decline_are_refused(client, auth, create_user, create_org, submit_answers,
                                                            outbox, survey_round):
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    ask = f"/capacity/exchanges/rounds/{survey_round.id}/ask/{seeker.slug}"
    auth.login(seeker_focal.email)
    in_english(client)
    page = client.post(ask, data={"helper": seeker.id, "area": "budget_tracking"}, follow_redirects=True)
    assert "cannot ask itself" in page.get_data(as_text=True)
    assert client.post(ask, data={"helper": helper.id, "area": "budget_tracking"}).status_code == 302
    intro = db.session.scalar(sa.select(Introduction))
    auth.logout()
    auth.login(helper_focal.email)
    client.post(f"/capacity/exchanges/{intro.id}/answer", data={"decline": "1", "note": "Pas cette année"})
    db.session.refresh(intro)
    assert intro.status == "declined"
    auth.logout()
    auth.login(seeker_focal.email)
    in_english(client)
    # Not suggested again for that need this round, and asking for another need is refused too.
    page = client.get(f"/capacity/map/suggestions/{seeker.slug}?round={survey_round.id}").get_data(as_text=True)
    budget = page[page.index("Priority need: Budget tracking"):page.index("Some support: Media engagement")]
    assert "Coalition Éducation France" not in budget
    page = client.post(ask, data={"helper": helper.id, "area": "media"}, follow_redirects=True).get_data(as_text=True)
    assert "declined an exchange with yours in this round" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) == 1


def test_evidence_and_confirmation_on_a_low_score(client, auth, create_user, create_org, submit_answers,
                                                  survey_round):
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    notes_url = f"/capacity/rounds/{survey_round.id}/notes/{seeker.slug}"
    auth.login(helper_focal.email)
    assert client.get(notes_url).status_code == 404  # not named yet
    auth.logout()
    auth.login(seeker_focal.email)
    in_english(client)
    response = client.post(notes_url, data={"question": "capacity.budget_tracking.strength", "kind": "comment",
                                            "text": "We only started tracking in 2026",
                                            "document_url": "javascript://x%0aalert(1)"})
    assert response.status_code == 400 and "starting with https://" in response.get_data(as_text=True)
    response = client.post(notes_url, data={"question": "capacity.budget_tracking.strength", "kind": "comment",
                                            "text": "We only started tracking in 2026",
                                            "document_url": "https://example.org/report.pdf"})
    assert response.status_code == 302
    assert client.post(f"{notes_url}/reviewers", data={"organisation": str(helper.id)}).status_code == 302
    auth.logout()
    auth.login(helper_focal.email)
    in_english(client)
    page = client.get(notes_url).get_data(as_text=True)
    assert "We only started tracking in 2026" in page and "https://example.org/report.pdf" in page
    assert client.post(notes_url, data={"question": "capacity.budget_tracking.strength", "kind": "confirm",
                                        "text": "We saw their first tracker"}).status_code == 302
    assert "Confirms this answer" in client.get(notes_url).get_data(as_text=True)
    assert audited("answer_note") == 2 and audited("name_reviewer") == 1


def accepted(seeker, helper, survey_round, outcome="collaborating"):
    db.session.add(Introduction(round=survey_round, seeker=seeker, helper=helper, area="media", status="accepted",
                                outcome=outcome))
    db.session.commit()


def test_dashboard_counts_exchanges_by_direction_with_the_threshold(client, auth, create_user, create_org,
                                                                    survey_round):
    france, germany = create_org("France", "FR"), create_org("Germany", "DE")
    senegal, kenya, peru = create_org("Senegal", "SN"), create_org("Kenya", "KE"), create_org("Peru", "PE")
    accepted(senegal, france, survey_round)
    accepted(kenya, france, survey_round)
    accepted(senegal, germany, survey_round, outcome="in_contact")  # North → South: 4 organisations
    accepted(kenya, peru, survey_round)  # South → South: 2 organisations only, withheld
    accepted(france, kenya, survey_round)  # South → North: 2 organisations, withheld
    auth.login(create_user(is_secretariat=True).email)
    in_english(client)
    csv = client.get("/desk/dashboard/exchanges.csv").get_data(as_text=True).splitlines()
    assert "Global North,Global South,3,2" in csv
    assert "Global South,Global South,," in csv and "Global South,Global North,," in csv
    assert "Peer exchanges between North and South" in client.get("/desk/dashboard").get_data(as_text=True)


def test_home_tells_what_others_need_only_in_groups_of_three(client, auth, create_user, create_org, submit_answers,
                                                             survey_round):
    from hub.survey import services
    helper = create_org("Coalition Éducation France", "FR")
    submit_answers(helper, full_answers(strength=4, need="none", **{"offer.areas": ["budget_tracking", "media"]}))
    for n in range(3):
        submit_answers(create_org(f"Southern {n}", "SN"),
                       full_answers(strength=1, need="none", **{"capacity.budget_tracking.need": "priority",
                                                                 **({"capacity.media.need": "some"} if n == 0 else {})}))
    services.close_round(survey_round)  # figures are published at close
    db.session.commit()
    auth.login(create_user(organisation=helper).email)
    in_english(client)
    home = client.get("/").get_data(as_text=True)
    block = home[home.index("Organisations that need what you offer"):]
    assert "Budget tracking:\n" in block or "Budget tracking:" in block
    assert "3 organisations" in block and "fewer than 3 organisations" in block  # media: only one


def test_the_secretariat_sees_every_exchange_and_can_step_in(client, auth, create_user, create_org, submit_answers,
                                                             outbox, survey_round):
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    auth.login(seeker_focal.email)
    client.post(f"/capacity/exchanges/rounds/{survey_round.id}/ask/{seeker.slug}",
                data={"helper": helper.id, "area": "budget_tracking"})
    intro = db.session.scalar(sa.select(Introduction))
    assert client.post(f"/capacity/exchanges/{intro.id}/answer", data={"accept": "1"}).status_code == 403
    auth.logout()
    outsider = create_user(is_focal_point=True)
    auth.login(outsider.email)
    assert client.get(f"/capacity/exchanges/{intro.id}").status_code == 404
    assert "Coalition sénégalaise" not in client.get("/capacity/exchanges/").get_data(as_text=True)
    auth.logout()
    auth.login(create_user(is_secretariat=True).email)
    in_english(client)
    assert "Coalition sénégalaise and Coalition Éducation France" in client.get("/capacity/exchanges/").get_data(
        as_text=True)
    assert "the secretariat steps in" in client.get(f"/capacity/exchanges/{intro.id}").get_data(as_text=True)
    assert client.post(f"/capacity/exchanges/{intro.id}/answer", data={"accept": "1"}).status_code == 302
    db.session.refresh(intro)
    assert intro.status == "accepted"
    assert outbox.last_to("moussa@example.org")["Content-Language"] == "fr"


def test_an_exchange_outcome_is_shown_when_answering_the_next_round(client, auth, create_user, create_org,
                                                                     submit_answers, survey_round):
    from hub.survey import services
    seeker, helper, seeker_focal, _ = setup_pair(create_user, create_org, submit_answers)
    db.session.add(Introduction(round=survey_round, seeker=seeker, helper=helper, area="budget_tracking",
                                status="accepted", outcome="collaborating", outcome_note="A joint budget brief"))
    services.close_round(survey_round)
    db.session.commit()
    next_round = services.open_round("Capacity mapping 2027", None, None, None)
    db.session.commit()
    auth.login(seeker_focal.email)
    in_english(client)
    page = client.get(f"/capacity/rounds/{next_round.id}/answers/{seeker.slug}/edit").get_data(as_text=True)
    assert "What came of your earlier peer exchanges" in page and "A joint budget brief" in page
    assert "Capacity mapping 2026" in page


def test_a_focal_point_deletes_an_action_and_restores_it_another_organisation_cannot(
        client, auth, create_user, create_org, submit_answers, survey_round):
    seeker, _helper, seeker_focal, _helper_focal = setup_pair(create_user, create_org, submit_answers)
    helper = create_org("Kenya Education Coalition", "KE")
    submit_answers(helper, full_answers(strength=1, need="none", **{"capacity.media.need": "priority"}))
    helper_focal = create_user(organisation=helper, is_focal_point=True)
    plan_url = f"/capacity/rounds/{survey_round.id}/plans/{seeker.slug}"
    other_url = f"/capacity/rounds/{survey_round.id}/plans/{helper.slug}"
    due = (date.today() + timedelta(days=20)).isoformat()
    auth.login(helper_focal.email)
    client.post(f"{other_url}/actions", data={"area": "media", "what": "Their own action", "due_on": due,
                                              "support": "training"})
    theirs = db.session.scalar(sa.select(PlanAction).where(PlanAction.what == "Their own action"))
    auth.logout()
    auth.login(seeker_focal.email)
    in_english(client)
    client.post(f"{plan_url}/actions", data={"area": "budget_tracking", "what": "Read the budget", "due_on": due,
                                             "support": "training"})
    mine = db.session.scalar(sa.select(PlanAction).where(PlanAction.what == "Read the budget"))
    # Another organisation's action: through my plan's address 404, through theirs 404 (I may not see it).
    assert client.post(f"{plan_url}/actions/{theirs.id}/delete").status_code == 404
    assert client.post(f"{other_url}/actions/{theirs.id}/delete").status_code == 404
    response = client.post(f"{plan_url}/actions/{mine.id}/delete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The action is deleted" in page and "Deleted actions" in page
    assert page.index("Deleted actions") < page.index("Read the budget")  # listed only under the deleted ones
    assert client.post(f"{plan_url}/actions/{mine.id}/delete").status_code == 404  # already deleted
    home = client.get("/").get_data(as_text=True)
    assert "Read the budget" not in home  # no longer due on the home page
    assert client.post(f"{plan_url}/actions/{mine.id}/restore").status_code == 302
    page = client.get(plan_url).get_data(as_text=True)
    assert "Read the budget" in page and "Deleted actions" not in page
    assert (audited("delete_plan_action"), audited("restore_plan_action")) == (1, 1)
    db.session.expire_all()
    assert db.session.get(PlanAction, theirs.id).deleted_at is None
    auth.logout()
    # The secretariat may delete too; a plain member of the organisation may not.
    auth.login(create_user(is_secretariat=True).email)
    assert client.post(f"{other_url}/actions/{theirs.id}/delete").status_code == 302
    auth.logout()
    auth.login(create_user(organisation=seeker).email)
    assert client.post(f"{plan_url}/actions/{mine.id}/delete").status_code == 403


def test_a_named_reviewer_is_told_in_app_and_by_mail_in_their_language_until_they_lose_access(
        app, client, auth, create_user, create_org, submit_answers, survey_round, outbox):
    from hub.mail import EmailOutbox, send_due
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    notes_url = f"/capacity/rounds/{survey_round.id}/notes/{seeker.slug}"
    third = create_org("Kenya Education Coalition", "KE")
    third_focal = create_user(organisation=third, is_focal_point=True, locale="es", email="kenya@example.org")
    auth.login(seeker_focal.email)
    assert client.post(f"{notes_url}/reviewers", data={"organisation": str(helper.id)}).status_code == 302
    notice = db.session.scalar(sa.select(Notification).where(Notification.recipient_id == helper_focal.id,
                                                             Notification.kind == "confirm_answers"))
    assert notice is not None and notice.link == notes_url
    send_due()
    message = outbox.last_to("claire@example.org")  # she reads Arabic
    assert message["Content-Language"] == "ar" and notes_url in body(message)
    # She stops this kind of email from the message's own link: the next naming reaches her in the hub only.
    unsubscribe = next(w for w in body(message).split() if "/notifications/unsubscribe/" in w)
    assert client.post("/" + unsubscribe.split("://", 1)[1].split("/", 1)[1]).status_code == 200
    sent_before = len(outbox.to("claire@example.org"))
    # The Kenyan focal point is named too, then loses the focal point role before the mail goes out.
    client.post(f"{notes_url}/reviewers", data={"organisation": str(third.id)})
    client.post(f"{notes_url}/reviewers", data={"organisation": str(helper.id)})
    third_focal.is_focal_point = False
    db.session.commit()
    send_due()
    assert outbox.to("kenya@example.org") == []
    dropped = db.session.scalar(sa.select(EmailOutbox).where(EmailOutbox.recipient == "kenya@example.org"))
    assert dropped is not None and dropped.status == "dropped"
    assert len(outbox.to("claire@example.org")) == sent_before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.recipient_id == helper_focal.id, Notification.kind == "confirm_answers")) == 2
