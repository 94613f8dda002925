"""Adding, showing, editing, deleting and listing library items."""

import re

import pytest

from hub.extensions import db
from hub.library.models import LibraryItem

from tests.library.library_samples import items


def test_add_a_document_and_read_it(client, member, add_item, a_pdf, stored_files):
    response = add_item(file=a_pdf, description="A **practical** guide <script>x()</script>",
                        languages=["en", "fr"], themes=["financing"])
    assert response.status_code == 302
    item = items()[0]
    assert item.owner_id == member.id and item.file("original").mimetype == "application/pdf"
    assert "Education financing in Kenya" in item.extracted_text
    assert "<strong>practical</strong>" in item.description_html and "<script" not in item.description_html
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Budget tracking guide" in page and "Creative Commons Attribution (CC BY)" in page
    assert len([n for n in stored_files() if n.endswith(".pdf")]) == 1
    assert "Education financing in Kenya" in item.search_text()


def test_a_link_needs_a_safe_web_address(client, member, add_item):
    response = add_item(kind="link", title="Report", url="javascript:alert(1)")
    assert response.status_code == 200
    assert "Enter a web address starting with https:// or http://." in response.get_data(as_text=True)
    assert items() == []
    assert add_item(kind="link", title="Report", url="https://example.org/report").status_code == 302
    assert items()[0].url == "https://example.org/report"


def test_a_file_is_required_except_for_links(client, member, add_item):
    page = client.get("/library/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "data-tus-endpoint=\"/library/uploads/\"" in page
    assert "Up to 200.0 MB with this form." in page
    response = add_item()
    assert "Choose a file to upload." in response.get_data(as_text=True)
    assert items() == []


def test_visitors_must_sign_in_to_add(client):
    assert client.get("/library/new").status_code == 302


def test_owner_edits_others_may_not(client, auth, member, create_user, add_item, a_pdf):
    add_item(file=a_pdf)
    slug = items()[0].slug
    response = client.post(f"/library/{slug}/edit", data={"title": "Renamed", "kind": "document", "licence": "cc0",
                                                          "organisation_id": "0", "community_id": "0"})
    assert response.status_code == 302
    assert db.session.get(LibraryItem, items()[0].id).title == "Renamed"
    other = create_user()
    auth.logout()
    auth.login(other.email)
    assert client.get(f"/library/{slug}/edit").status_code == 403
    assert client.post(f"/library/{slug}/delete").status_code == 403


def test_secretariat_deletes_softly(client, auth, member, create_user, add_item, a_pdf):
    add_item(file=a_pdf)
    item = items()[0]
    auth.logout()
    auth.login(create_user(is_secretariat=True).email)
    assert client.post(f"/library/{item.slug}/delete").status_code == 302
    db.session.expire_all()
    assert items()[0].deleted_at is not None
    auth.logout()
    auth.login(member.email)
    assert client.get(f"/library/{item.slug}").status_code == 404
    assert "Budget tracking guide" not in client.get("/library/").get_data(as_text=True)


def test_facilitator_edits_community_items(client, auth, create_user, create_community, add_item, a_pdf):
    owner, facilitator = create_user(), create_user()
    community = create_community(facilitator, visibility="members", members=[owner])  # its creator facilitates
    auth.login(owner.email)
    add_item(file=a_pdf, community_id=str(community.id))
    auth.logout()
    auth.login(facilitator.email)
    assert client.get(f"/library/{items()[0].slug}/edit").status_code == 200


def test_only_communities_one_may_post_in(client, member, create_community, add_item, a_pdf):
    community = create_community(visibility="members")  # readable, but the member has not joined
    response = add_item(file=a_pdf, community_id=str(community.id))
    assert response.status_code == 200 and items() == []


@pytest.mark.parametrize("visibility, visitor_sees, member_sees, outsider_sees", [
    ("public", True, True, True), ("members", False, True, True), ("private", False, True, False)])
def test_items_follow_their_community(client, auth, create_user, create_community, add_item, a_pdf,
                                      visibility, visitor_sees, member_sees, outsider_sees):
    insider, outsider = create_user(), create_user()
    community = create_community(visibility=visibility, members=[insider])
    auth.login(insider.email)
    add_item(file=a_pdf, community_id=str(community.id), title="Circle notes")
    slug = items()[0].slug
    file_url = f"/library/{slug}/files/{items()[0].file('original').id}"
    checks = [(None, visitor_sees), (insider, member_sees), (outsider, outsider_sees)]
    for person, sees in checks:
        auth.logout()
        if person is not None:
            auth.login(person.email)
        assert (client.get(f"/library/{slug}").status_code == 200) is sees
        assert (client.get(file_url).status_code == 200) is sees
        assert (client.get(file_url, headers={"Range": "bytes=0-0"}).status_code == 206) is sees
        assert ("Circle notes" in client.get("/library/").get_data(as_text=True)) is sees


def test_items_outside_communities_need_sign_in_unless_public(client, auth, member, add_item, a_pdf):
    add_item(file=a_pdf, title="Members only")
    add_item(file=a_pdf, title="For everyone", is_public="y")
    auth.logout()
    page = client.get("/library/").get_data(as_text=True)
    assert "For everyone" in page and "Members only" not in page


def test_filters_sort_and_pages(app, client, member, add_item, a_pdf):
    app.config["LIBRARY_PER_PAGE"] = 2
    add_item(file=a_pdf, title="Alpha", languages=["fr"], themes=["gender"], regions=["africa"])
    add_item(file=a_pdf, title="Beta", languages=["en"], themes=["teachers"], session_date="2024-05-02",
             kind="document")
    add_item(kind="link", title="Gamma", url="https://example.org", languages=["fr"])
    page = client.get("/library/?language=fr&sort=title").get_data(as_text=True)
    assert "Alpha" in page and "Gamma" in page and "Beta" not in page
    assert page.index("Alpha") < page.index("Gamma")
    assert "Beta" not in client.get("/library/?theme=gender").get_data(as_text=True)
    assert "Alpha" in client.get("/library/?region=africa").get_data(as_text=True)
    assert "Gamma" in client.get("/library/?kind=link").get_data(as_text=True)
    assert "Page 1 of 2" in client.get("/library/").get_data(as_text=True)
    assert client.get("/library/?language=zz&theme=nope&year=abc").status_code == 200


def test_listing_does_not_grow_queries_with_items(client, member, add_item, a_pdf, count_queries):
    add_item(file=a_pdf)
    with count_queries() as few:
        client.get("/library/")
    for n in range(5):
        add_item(file=a_pdf, title=f"More {n}")
    with count_queries() as many:
        client.get("/library/")
    assert many() == few()


def test_the_upload_form_still_checks_its_csrf_token(app, member, add_item, a_pdf, stored_files):
    app.config["WTF_CSRF_ENABLED"] = True
    response = add_item(file=a_pdf)
    assert response.status_code == 200 and items() == [] and stored_files() == []


def test_the_community_page_lists_its_items(client, member, create_community, add_item, a_pdf):
    community = create_community(visibility="members", members=[member])
    add_item(file=a_pdf, community_id=str(community.id), title="Circle handbook")
    page = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    assert "Circle handbook" in page and f"/library/?community={community.slug}" in page
    listing = client.get(f"/library/?community={community.slug}").get_data(as_text=True)
    words = re.sub(r"<[^>]+>", "", listing)  # the title is isolated in its own <bdi>
    assert "Circle handbook" in words and f"Library of {community.title}" in words


def test_a_private_communitys_library_is_not_found_by_outsiders(client, auth, create_user, create_community):
    community = create_community(visibility="private", members=[create_user()])
    auth.login(create_user().email)
    assert client.get(f"/library/?community={community.slug}").status_code == 404


def test_deleted_items_free_the_quota_and_their_files_go_later(app, client, runner, member, add_item, a_pdf,
                                                                stored_files):
    app.config["LIBRARY_QUOTA_BYTES"] = len(a_pdf[0]) + 10
    add_item(file=a_pdf)
    client.post(f"/library/{items()[0].slug}/delete")
    assert add_item(file=a_pdf, title="Second").status_code == 302
    assert len(stored_files()) == 2
    app.config["LIBRARY_PURGE_AFTER_DAYS"] = 0
    assert "1 file(s) of deleted items removed" in runner.invoke(args=["library", "clean"]).output
    assert stored_files() == [items()[1].file("original").storage_name]
