"""Reply templates: written in five languages, picked next to the reason, received in the author's language."""

import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.desk.models import ReplyTemplate
from hub.discussions import services as discussions
from hub.discussions.models import Discussion, Reply
from hub.extensions import db

SPANISH = "Tu publicación muestra dónde se puede encontrar a personas; la ocultamos para protegerlas."
ENGLISH = "Your post shows where people can be found; we hid it to keep them safe."


def test_the_secretariat_writes_a_template_and_missing_languages_are_flagged(client, auth, world):
    auth.login(world["people"]["secretariat"].email)
    response = client.post("/desk/templates/new", data={
        "purpose": "revise", "name": "Add a source", "text_en": "Please add where the figures come from.",
        "text_fr": "Merci d'indiquer d'où viennent les chiffres.", "text_ar": "يرجى ذكر مصدر الأرقام."})
    assert response.status_code == 302
    page = client.get("/desk/templates").get_data(as_text=True)
    assert "Add a source" in page and "Missing: Español, Português" in page
    template = db.session.scalar(sa.select(ReplyTemplate).where(ReplyTemplate.name == "Add a source"))
    assert template.text_in("pt") == "Please add where the figures come from."  # English fallback
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "create_reply_template"))
    assert entry.object_id == template.id


def test_a_template_without_english_is_refused_and_keeps_the_other_texts(client, auth, world):
    auth.login(world["people"]["secretariat"].email)
    response = client.post("/desk/templates/new", data={"purpose": "hide", "name": "Sin inglés",
                                                        "text_es": "Solo en español"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write the English text" in page and "Solo en español" in page


def test_hiding_with_a_template_tells_the_author_in_their_language(client, auth, world):
    discussion, template = world["discussion"], world["template"]  # the author reads Spanish
    auth.login(world["people"]["facilitator"].email)
    response = client.post(f"/desk/queue/discussion/{discussion.id}", data={
        "action": "hide", "template": str(template.id), "reason": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id).hidden_reason == SPANISH


def test_a_language_the_template_lacks_falls_back_to_english_and_free_text_follows(client, auth, world):
    discussion, template = world["discussion"], world["template"]
    world["people"]["author"].locale = "pt"  # the template has no Portuguese
    db.session.commit()
    auth.login(world["people"]["facilitator"].email)
    client.post(f"/desk/queue/discussion/{discussion.id}", data={
        "action": "hide", "template": str(template.id), "reason": "See the guidelines."})
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id).hidden_reason == ENGLISH + "\n\nSee the guidelines."


def test_no_template_and_no_words_is_a_clear_error(client, auth, world):
    auth.login(world["people"]["facilitator"].email)
    response = client.post(f"/desk/queue/discussion/{world['discussion'].id}", data={"action": "hide"})
    assert response.status_code == 400 and "Pick a template or write the reason." in response.get_data(as_text=True)
    response = client.post(f"/desk/queue/discussion/{world['discussion'].id}",
                           data={"action": "hide", "template": "99999999999999999999"})
    assert response.status_code == 400 and "no longer offered" in response.get_data(as_text=True)


def test_rejecting_a_waiting_post_with_a_template_tells_the_author_in_their_language(client, auth, world):
    template = ReplyTemplate(purpose="reject", name="Off purpose", texts={
        "en": "Not about learning between coalitions.", "es": "No trata del aprendizaje entre coaliciones."})
    db.session.add(template)
    waiting = discussions.add_reply(world["discussion"], world["people"]["author"], "Buy our books", review=True)
    db.session.commit()
    auth.login(world["people"]["facilitator"].email)
    assert 'name="template"' in client.get("/desk/queue").get_data(as_text=True)
    response = client.post(f"/desk/review/reply/{waiting.id}", data={"decision": "reject", "template": str(template.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Reply, waiting.id).hidden_reason == "No trata del aprendizaje entre coaliciones."
