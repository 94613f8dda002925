"""Creating, editing, accepting and declining organisations: who may, and what changes."""

import pytest
import sqlalchemy as sa

from hub.accounts.models import User
from hub.extensions import db
from hub.organisations.models import Organisation

NEW = {"name": "Coalición Hondureña", "acronym": "COHE", "type": "national_coalition", "country": "HN",
       "region": "", "north_south": "", "working_languages": ["es", "en"], "website": "https://cohe.example.org",
       "description": "Red de organizaciones por la educación pública."}


def org_named(name):
    return db.session.scalar(sa.select(Organisation).where(Organisation.name == name))


@pytest.fixture
def secretariat(create_user, auth):
    user = create_user(email="sec@example.org", is_secretariat=True)
    auth.login(user.email)
    return user


def test_secretariat_creates_an_organisation(client, secretariat):
    assert client.get("/organisations/new").status_code == 200
    response = client.post("/organisations/new", data=NEW)
    assert response.status_code == 302
    org = org_named("Coalición Hondureña")
    assert response.headers["Location"].endswith(f"/organisations/{org.slug}")
    assert (org.country, org.region, org.north_south, org.status) == ("HN", "latin_america", "south", "active")
    assert org.working_languages == ["es", "en"]
    assert "Coalición Hondureña" in client.get("/organisations/").get_data(as_text=True)


def test_secretariat_can_override_classification_at_creation(client, secretariat):
    client.post("/organisations/new", data={**NEW, "region": "europe_north_america", "north_south": "north"})
    org = org_named("Coalición Hondureña")
    assert (org.region, org.north_south) == ("europe_north_america", "north")


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "This field is required."),
    ({"name": "x" * 201}, "Use at most 200 characters."),
    ({"country": ""}, "This field is required."),
    ({"country": "ZZ"}, "Not a valid choice"),
    ({"website": "not a url"}, "Enter a full web address"),
    ({"type": "guild"}, "Not a valid choice"),
    ({"description": "d" * 5001}, "Use at most 5000 characters."),
])
def test_bad_input_is_told_next_to_the_field(client, secretariat, change, message):
    data = {**NEW, "acronym": "KEEP-ME", **change}
    response = client.post("/organisations/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html and 'class="error"' in html
    assert 'value="KEEP-ME"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1  # the secretariat's own


@pytest.mark.parametrize("role", ["anonymous", "member", "focal point"])
def test_only_the_secretariat_creates(client, auth, create_user, role):
    if role != "anonymous":
        user = create_user(is_focal_point=(role == "focal point"))
        auth.login(user.email)
    response = client.post("/organisations/new", data=NEW)
    assert response.status_code == (302 if role == "anonymous" else 403)
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    assert org_named("Coalición Hondureña") is None


def test_secretariat_edits_classification(client, secretariat, create_org):
    org = create_org("Kenya Coalition", "KE")
    db.session.commit()
    data = {**NEW, "name": "Kenya Coalition", "country": "KE", "type": "partner", "region": "mena",
            "north_south": "north"}
    assert client.post(f"/organisations/{org.slug}/edit", data=data).status_code == 302
    db.session.refresh(org)
    assert (org.type, org.region, org.north_south) == ("partner", "mena", "north")


def test_focal_point_edits_description_but_not_classification(client, auth, create_user, create_org):
    org = create_org("Kenya Coalition", "KE", type="national_coalition")
    focal = create_user(organisation=org, is_focal_point=True)
    auth.login(focal.email)
    form = client.get(f"/organisations/{org.slug}/edit").get_data(as_text=True)
    assert 'name="description"' in form and 'name="north_south"' not in form and 'name="region"' not in form
    response = client.post(f"/organisations/{org.slug}/edit", data={
        "description": "Nouvelle description, العربية", "website": "https://kenya.example.org",
        "working_languages": ["sw", "en"], "name": "Renamed", "country": "FR", "type": "partner",
        "region": "mena", "north_south": "north"})
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.description == "Nouvelle description, العربية"
    assert org.website == "https://kenya.example.org" and org.working_languages == ["sw", "en"]
    assert (org.name, org.country, org.type, org.region, org.north_south) == (
        "Kenya Coalition", "KE", "national_coalition", "africa", "south")


def test_focal_point_cannot_edit_another_organisation(client, auth, create_user, create_org):
    mine, other = create_org("Mine", "KE"), create_org("Other", "UG")
    focal = create_user(organisation=mine, is_focal_point=True)
    auth.login(focal.email)
    assert client.get(f"/organisations/{other.slug}/edit").status_code == 403
    assert client.post(f"/organisations/{other.slug}/edit", data={"description": "hijack"}).status_code == 403
    db.session.refresh(other)
    assert other.description == ""


def test_member_cannot_edit(client, auth, create_user, create_org):
    org = create_org("Mine", "KE")
    member = create_user(organisation=org)
    auth.login(member.email)
    assert client.get(f"/organisations/{org.slug}/edit").status_code == 403


@pytest.fixture
def proposal(create_org, create_user):
    org = create_org("Red Educativa de Honduras", "HN", status="proposed")
    create_user(email="newcomer@example.org", name="Rosa Newcomer", organisation=org, status="pending")
    return org


def test_proposed_page_lists_proposals_for_the_secretariat(client, secretariat, proposal):
    html = client.get("/organisations/proposed").get_data(as_text=True)
    assert "Red Educativa de Honduras" in html and "newcomer@example.org" in html
    assert client.get(f"/organisations/{proposal.slug}").status_code == 200


@pytest.mark.parametrize("role", ["member", "focal point"])
def test_proposed_page_is_for_the_secretariat_only(client, auth, create_user, proposal, role):
    user = create_user(is_focal_point=(role == "focal point"))
    auth.login(user.email)
    assert client.get("/organisations/proposed").status_code == 403
    assert client.post(f"/organisations/{proposal.slug}/publish").status_code == 404  # cannot even see it
    db.session.refresh(proposal)
    assert proposal.status == "proposed"


def test_secretariat_edits_then_publishes(client, secretariat, proposal):
    form = client.get(f"/organisations/{proposal.slug}/edit").get_data(as_text=True)
    assert "Save and add to the directory" in form
    data = {**NEW, "name": "Red Educativa de Honduras", "acronym": "REH", "publish": "1"}
    assert client.post(f"/organisations/{proposal.slug}/edit", data=data).status_code == 302
    db.session.refresh(proposal)
    assert (proposal.status, proposal.acronym) == ("active", "REH")
    assert "Red Educativa de Honduras" in client.get("/organisations/").get_data(as_text=True)
    assert "Red Educativa de Honduras" not in client.get("/organisations/proposed").get_data(as_text=True)


def test_saving_a_proposal_without_publishing_keeps_it_waiting(client, secretariat, proposal):
    data = {**NEW, "name": "Red Educativa de Honduras"}
    client.post(f"/organisations/{proposal.slug}/edit", data=data)
    db.session.refresh(proposal)
    assert proposal.status == "proposed"


def test_publish_button(client, secretariat, proposal):
    assert client.post(f"/organisations/{proposal.slug}/publish").status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "active"
    assert client.post(f"/organisations/{proposal.slug}/publish").status_code == 404  # no longer proposed


def test_decline_marks_deleted(client, secretariat, proposal):
    assert client.post(f"/organisations/{proposal.slug}/decline", data={"merge_into": ""}).status_code == 302
    db.session.refresh(proposal)
    assert proposal.is_deleted and proposal.status == "proposed"
    client.get("/organisations/proposed")  # shows the flash message
    assert f'href="/organisations/{proposal.slug}"' not in client.get("/organisations/proposed").get_data(as_text=True)
    assert "Red Educativa de Honduras" not in client.get("/organisations/").get_data(as_text=True)


def test_decline_and_merge_moves_the_people(client, secretariat, proposal, create_org):
    existing = create_org("Honduras Education Coalition", "HN")
    db.session.commit()
    response = client.post(f"/organisations/{proposal.slug}/decline", data={"merge_into": existing.slug},
                           follow_redirects=True)
    assert "1 person moved to Honduras Education Coalition" in response.get_data(as_text=True)
    newcomer = db.session.scalar(sa.select(User).where(User.email == "newcomer@example.org"))
    assert newcomer.organisation_id == existing.id
    db.session.refresh(proposal)
    assert proposal.is_deleted


def test_decline_into_an_unlisted_organisation_is_refused(client, secretariat, proposal, create_org):
    other = create_org("Another proposal", "HN", status="proposed")
    db.session.commit()
    response = client.post(f"/organisations/{proposal.slug}/decline", data={"merge_into": other.slug},
                           follow_redirects=True)
    assert "Choose an organisation from the directory." in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert not proposal.is_deleted


def test_state_changes_need_post(client, secretariat, proposal):
    assert client.get(f"/organisations/{proposal.slug}/publish").status_code == 405
    assert client.get(f"/organisations/{proposal.slug}/decline").status_code == 405


def test_reserved_words_never_become_slugs(app, create_org):
    assert create_org("New", "KE").slug not in ("new", "proposed")
    assert create_org("Proposed", "KE").slug not in ("new", "proposed")


def test_proposed_page_has_no_n_plus_one(client, secretariat, create_org, create_user, count_queries):
    for n in range(8):
        create_user(email=f"proposer{n}@example.org", status="pending",
                    organisation=create_org(f"Proposal {n}", "KE", status="proposed"))
    with count_queries() as queries:
        html = client.get("/organisations/proposed").get_data(as_text=True)
    assert html.count("proposer") == 8
    assert queries() <= 8
