"""A focal point's home page says which open survey round their organisation has still to submit."""

import sqlalchemy as sa

from hub.extensions import db
from hub.survey.models import Submission


def test_focal_point_sees_the_round_to_answer_then_the_draft_then_nothing(client, sign_in, create_user, create_org,
                                                                         survey_round, submit_answers):
    org = create_org(name="Coalition du Nord")
    focal = create_user(organisation=org, is_focal_point=True)
    colleague = create_user(organisation=org)
    sign_in(colleague)
    assert "Capacity mapping 2026" not in client.get("/").text  # only focal points answer
    sign_in(focal)
    home = client.get("/").text
    assert "Capacity mapping 2026" in home and "Not started yet" in home
    assert f"/capacity/rounds/{survey_round.id}/answers/{org.slug}/edit" in home
    db.session.add(Submission(round=survey_round, organisation=org, answers={}))
    db.session.commit()
    assert "A draft to finish" in client.get("/").text
    db.session.delete(db.session.scalar(sa.select(Submission)))
    db.session.commit()
    submit_answers(org)
    assert "Capacity mapping 2026" not in client.get("/").text
