"""The results page: highlights, filters with counts, sorting, paging, odd input, "did you mean"."""

from hub.extensions import db
from hub.organisations.services import create_organisation

ODD_QUERIES = ['"', '""', '"unbalanced', "c++", "e-learning", "AND", "OR NOT", "*", "?", "title:foo", "(((",
               "a" * 2000, "éducation " * 300, "[1 TO 5]", "^2", "\\", "NULL", "<script>alert(1)</script>",
               "مدرسة*", "-", "~", "'", "%s %d", "\x00"]


def test_new_organisation_is_found_with_a_highlighted_snippet(app, client):
    create_organisation("Réseau pour l'éducation des filles", "SN", description="Nous défendons l'éducation des filles.")
    db.session.commit()
    page = client.get("/search?q=education")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Réseau pour l&#39;<mark>éducation</mark> des filles" in text or "<mark>éducation</mark>" in text
    assert "1 result" in text


def test_any_text_is_a_valid_query(client, corpus):
    for query in ODD_QUERIES:
        page = client.get("/search", query_string={"q": query})
        assert page.status_code == 200, query
        assert "<script>alert(1)</script>" not in page.get_data(as_text=True)
    assert "E-learning during school closures" in results(client, "/search?q=e-learning")
    assert "E-learning during school closures" in results(client, "/search?q=c%2B%2B")


def results(client, url):
    """A results page's text without highlight tags."""
    page = client.get(url)
    assert page.status_code == 200
    return page.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")


def test_empty_query_shows_the_form(client):
    page = client.get("/search")
    assert page.status_code == 200
    assert 'name="q"' in page.get_data(as_text=True)


def test_search_box_in_every_page_header_has_a_label(client):
    text = client.get("/").get_data(as_text=True)
    assert '<label for="header-search-q">' in text and 'id="header-search-q"' in text


def test_filters_count_and_narrow(client, corpus):
    text = client.get("/search?q=education").get_data(as_text=True)
    assert "Organisations</a> (" in text and "Communities</a> (" in text
    narrowed = results(client, "/search?q=education&kind=community")
    assert "Community" in narrowed and "Organisation</p>" not in narrowed
    assert "Coalition des Organisations" not in narrowed
    spanish = results(client, "/search?q=educacion&language=es")
    assert "Educación de las niñas indígenas" in spanish and "Bourses scolaires" not in spanish
    assert "Spanish</strong>" not in text and "language=es\">Spanish</a> (" in text


def test_unknown_filter_values_and_far_pages_are_empty_not_errors(client, corpus):
    for url in ("/search?q=education&kind=nonsense", "/search?q=education&year=abc&region=mars",
                "/search?q=education&page=10000", "/search?q=education&page=-3", "/search?q=education&page=x",
                "/search?q=education&sort=sideways"):
        page = client.get(url)
        assert page.status_code == 200, url
    assert "No results on this page." in client.get("/search?q=education&page=10000").get_data(as_text=True)
    assert "Nothing found." in client.get("/search?q=education&kind=nonsense").get_data(as_text=True)


def test_sort_by_date_puts_newest_first(app, client):
    from datetime import timedelta

    from hub.db import utcnow
    old = create_organisation("Alpha literacy network", "KE", description="literacy literacy literacy")
    old.created_at = utcnow() - timedelta(days=800)
    create_organisation("Beta literacy coalition", "KE", description="some work")
    db.session.commit()
    text = results(client, "/search?q=literacy&sort=date")
    assert text.index("Beta") < text.index("Alpha")
    text = results(client, "/search?q=literacy")
    assert text.index("Alpha") < text.index("Beta")


def test_did_you_mean_on_a_typo(client, corpus):
    text = results(client, "/search?q=techers")
    assert "teachers" in text and "Showing results for" in text
    assert "Teachers and the teaching profession" in text


def test_paging_splits_results(app, client):
    for n in range(25):
        create_organisation(f"Literacy coalition {n}", "KE", description="adult literacy")
    db.session.commit()
    first = results(client, "/search?q=literacy")
    assert "25 results" in first and "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/search?q=literacy&page=2").get_data(as_text=True)
    assert second.count('class="search-hit"') == 5


def test_search_within_one_community(app, client, corpus):
    community = corpus["community-financiamiento"]
    with app.test_request_context():
        form = app.jinja_env.get_template("search/_community_form.html").render(community=community)
    assert f'name="community" value="{community.id}"' in form and "<label" in form
    text = results(client, f"/search?q=educacion&community={community.id}")
    assert "Educación de las niñas indígenas" in text and "Impuestos y presupuesto educativo" in text
    assert "Bourses scolaires" not in text and "Campaña Peruana" not in text
