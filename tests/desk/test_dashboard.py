"""The knowledge-flow dashboard: figures from a small hand-built world, who reaches it, CSV escaping."""

import re
from datetime import timedelta

import pytest

from hub.db import utcnow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.library.models import LibraryItem


@pytest.fixture
def flows_world(create_user, create_org, create_community, add_member):
    """A Northern (GB) asker, a Southern (KE) answerer, the secretariat (GB) and a facilitator."""
    north, south = create_org("Northern Coalition", country="GB"), create_org("=Southern Coalition", country="KE")
    people = {"north": create_user(email="north@example.org", organisation=north),
              "south": create_user(email="south@example.org", organisation=south),
              "secretariat": create_user(email="sec@example.org", organisation=north, is_secretariat=True),
              "facilitator": create_user(email="fac@example.org", organisation=south)}
    place = create_community(people["facilitator"], visibility="members", slug="cmd", title="=Cmd")
    for name in ("north", "south"):
        add_member(place, people[name])
    question = discussions.start_discussion(place, people["north"], {
        "title": "How do you lobby a ministry?", "body": "Ideas?", "language": "en", "kind": "question"})
    answer = discussions.add_reply(question, people["south"], "We start with the budget.")
    discussions.toggle_answer(question, answer)
    lonely = discussions.start_discussion(place, people["south"], {
        "title": "Who has a teacher survey?", "body": "Please", "language": "en", "kind": "question"})
    lonely.created_at = utcnow() - timedelta(days=10)
    question.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    return people


def test_southern_answer_to_northern_question_shows_as_south_to_north(client, auth, flows_world):
    auth.login("sec@example.org")
    response = client.get("/desk/dashboard/flows-north-south.csv")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    assert lines[1:] == ["Global South,Global North,1,1"]
    regions = client.get("/desk/dashboard/flows-region.csv").get_data(as_text=True).splitlines()
    assert regions[1:] == ["Africa,Europe and North America,1,1"]


def test_members_activity_contributions_unanswered(client, auth, flows_world):
    auth.login("sec@example.org")
    members = client.get("/desk/dashboard/members-north-south.csv").get_data(as_text=True).splitlines()
    assert members[1:] == ["Global North,2", "Global South,2"]
    active = client.get("/desk/dashboard/active.csv").get_data(as_text=True).splitlines()
    # north and south wrote; the secretariat signed in; the facilitator did neither
    assert active[1:] == ["Last 30 days,3", "Last 90 days,3"]
    contributions = client.get("/desk/dashboard/contributions.csv").get_data(as_text=True).splitlines()[1:]
    # two questions (ten days old) and one reply, whatever the months they fall in
    assert sum(int(line.rsplit(",", 1)[1]) for line in contributions if line.startswith("'=Cmd,")) == 3
    unanswered = client.get("/desk/dashboard/unanswered.csv").get_data(as_text=True)
    assert "Who has a teacher survey?" in unanswered
    assert "How do you lobby a ministry?" not in unanswered


def test_page_shows_tables_and_svg(client, auth, flows_world):
    auth.login("sec@example.org")
    page = client.get("/desk/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Knowledge flows between North and South" in html
    assert html.count("<svg") >= 3
    assert "Who has a teacher survey?" in html


def test_library_views_are_counted_without_names(client, auth, flows_world):
    item = LibraryItem(slug="budget-guide", kind="document", title="Budget guide", owner_id=flows_world["north"].id,
                       year=2025, is_public=True)
    db.session.add(item)
    db.session.commit()
    assert client.get("/library/budget-guide").status_code == 200
    assert client.get("/library/budget-guide").status_code == 200
    auth.login("sec@example.org")
    viewed = client.get("/desk/dashboard/most-viewed.csv").get_data(as_text=True).splitlines()
    assert viewed[1:] == ["Budget guide,2"]


def test_csv_cells_starting_with_formula_characters_are_escaped(client, auth, flows_world):
    auth.login("sec@example.org")
    members = client.get("/desk/dashboard/contributions.csv").get_data(as_text=True)
    assert "\n=Cmd" not in members and "'=Cmd" in members


@pytest.mark.parametrize("who", ["facilitator", "north"])
@pytest.mark.parametrize("path", ["/desk/dashboard", "/desk/dashboard/flows-region.csv"])
def test_only_the_secretariat_reaches_the_dashboard(client, auth, flows_world, who, path):
    auth.login(f"{'fac' if who == 'facilitator' else who}@example.org")
    assert client.get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, flows_world):
    response = client.get("/desk/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_block_is_404(client, auth, flows_world):
    auth.login("sec@example.org")
    assert client.get("/desk/dashboard/nothing.csv").status_code == 404


def test_matrix_note_is_page_text_and_labels_fit_the_chart(client, auth, flows_world):
    """The "Rows: from" note is HTML (SVG text cannot wrap or read right to left); labels are cut to fit."""
    from hub.desk import charts
    flows_world["secretariat"].locale = "ar"
    db.session.commit()
    auth.login("sec@example.org")
    html = client.get("/desk/dashboard").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert html.count('class="muted dash-note"') == 2  # one per heat map
    for svg in html.split("<svg")[1:]:
        assert "dash-note" not in svg.split("</svg>")[0]
    labels = re.findall(r'class="dash-axis">([^<]+)</text>', html)
    assert labels and max(len(label) for label in labels) <= charts.LABEL_CHARS  # "Europe and North America", cut
    long_name = "Latin America and the Caribbean"
    chart = charts.matrix([(long_name, "Africa", 3, 1)])
    # the last column's label, cut to LABEL_CHARS and rising at 45 degrees from the column's centre, fits
    last_centre = chart["margin"] + chart["cell"] * (len(chart["groups"]) - 0.5)
    assert chart["width"] >= last_centre + charts.LABEL_CHARS * charts.CHAR_WIDTH * 0.7
    assert chart["label_chars"] == charts.LABEL_CHARS
