"""The directory: filters with counts, unknown values ignored, unknown slugs 404, localised countries."""

import pytest

from hub.extensions import db


@pytest.fixture
def directory(create_org):
    orgs = {
        "sn": create_org("Coalition sénégalaise", "SN", type="national_coalition"),
        "fr": create_org("Coalition Éducation France", "FR", type="national_coalition"),
        "br": create_org("Campaña Latinoamericana", "BR", type="regional_coalition"),
        "jo": create_org("Arab Campaign", "JO", type="regional_coalition"),
        "jp": create_org("Japan Network", "JP", type="partner"),
    }
    create_org("Waiting Coalition", "SN", status="proposed")
    db.session.commit()
    return orgs


def names(response):
    html = response.get_data(as_text=True)
    return {name for name in ("Coalition sénégalaise", "Coalition Éducation France", "Campaña Latinoamericana",
                              "Arab Campaign", "Japan Network", "Waiting Coalition") if name in html}


def test_directory_lists_only_listed_organisations(client, directory):
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert names(response) == {"Coalition sénégalaise", "Coalition Éducation France", "Campaña Latinoamericana",
                               "Arab Campaign", "Japan Network"}
    assert "5 organisations" in response.get_data(as_text=True)


@pytest.mark.parametrize("query, expected", [
    ("region=africa", {"Coalition sénégalaise"}),
    ("region=europe_north_america", {"Coalition Éducation France"}),
    ("type=regional_coalition", {"Campaña Latinoamericana", "Arab Campaign"}),
    ("north_south=north", {"Coalition Éducation France", "Japan Network"}),
    ("north_south=south&type=national_coalition", {"Coalition sénégalaise"}),
    ("country=BR", {"Campaña Latinoamericana"}),
])
def test_filters(client, directory, query, expected):
    response = client.get(f"/organisations/?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    total = len(expected)
    assert f"{total} organisation{'s' if total != 1 else ''}" in response.get_data(as_text=True)


def test_filter_options_show_counts(client, directory):
    html = client.get("/organisations/").get_data(as_text=True)
    assert 'value="regional_coalition" >Regional coalition (2)</option>' in html
    assert 'value="north" >Global North (2)</option>' in html
    assert "Senegal (1)" in html  # the proposed Senegalese organisation is not counted


@pytest.mark.parametrize("query", ["region=atlantis", "type=<script>", "north_south=east", "country=ZZ",
                                   "country=sn", "page=abc", "page=-3", "page=999", "region=",
                                   "page=99999999999999999999"])
def test_unknown_filter_values_are_ignored(client, directory, query):
    response = client.get(f"/organisations/?{query}")
    assert response.status_code == 200
    if not query.startswith("page=999"):
        assert len(names(response)) == 5


def test_unknown_slug_is_the_404_page(client, directory):
    response = client.get("/organisations/no-such-coalition")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_proposed_organisation_is_hidden_from_the_public(client, directory):
    assert client.get("/organisations/waiting-coalition").status_code == 404


@pytest.mark.parametrize("lang, senegal", [("fr", "Sénégal"), ("ar", "السنغال"), ("es", "Senegal"),
                                           ("en", "Senegal")])
def test_country_names_are_localised(client, directory, lang, senegal):
    page = client.get(f"/organisations/{directory['sn'].slug}", headers={"Accept-Language": lang})
    assert f"<dd>{senegal}</dd>" in page.get_data(as_text=True)
    listing = client.get("/organisations/", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert f"{senegal} (1)</option>" in listing


def test_detail_lists_active_members_to_signed_in_people(client, auth, create_user, directory):
    create_user(name="Awa Ndiaye", organisation=directory["sn"])
    create_user(name="Pending Person", organisation=directory["sn"], status="pending")
    viewer = create_user(email="viewer@example.org")
    url = f"/organisations/{directory['sn'].slug}"
    assert "Awa Ndiaye" not in client.get(url).get_data(as_text=True)
    auth.login(viewer.email)
    html = client.get(url).get_data(as_text=True)
    assert "Awa Ndiaye" in html and "Pending Person" not in html


def test_directory_has_no_n_plus_one(client, create_org, count_queries):
    for n in range(25):
        create_org(f"Coalition {n:02d}", "KE")
    db.session.commit()
    with count_queries() as queries:
        assert client.get("/organisations/").status_code == 200
    assert queries() <= 8
