"""Library items are found through their transcripts, captions and document text, across languages."""

from hub.communities.models import MEMBER, Community, Membership
from hub.discussions import services as discussions
from hub.extensions import db
from hub.library.models import Caption, LibraryItem


def titles(client, query, **filters):
    page = client.get("/search", query_string={"q": query, **filters})
    assert page.status_code == 200
    return page.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")


def item(owner, title, **fields):
    found = LibraryItem(slug=title.lower().replace(" ", "-"), kind=fields.pop("kind", "document"), title=title,
                        owner_id=owner.id, year=fields.pop("year", 2025), **fields)
    db.session.add(found)
    return found


def test_one_query_finds_discussions_recordings_and_documents_in_other_languages(client, create_user, sign_in):
    owner = sign_in(create_user())
    community = Community(slug="girls", title="Filles et garçons", visibility="public")
    db.session.add(community)
    db.session.flush()
    discussions.start_discussion(community, owner, {"title": "Becas para niñas", "language": "es",
                                                    "body": "La educación secundaria de las niñas."})
    recording = item(owner, "Session recording 2025", kind="recording", languages=["fr"], is_public=True,
                     transcript="Nous avons parlé de l'éducation des filles dans les zones rurales.")
    item(owner, "Toolkit", languages=["en"], is_public=True, themes=["gender"], regions=["africa"],
         extracted_text="A practical toolkit on girls' education and school retention.")
    db.session.flush()
    db.session.add(Caption(item_id=recording.id, language="en", vtt="WEBVTT", text="We talked about scholarships."))
    db.session.commit()
    text = titles(client, "educação das meninas")
    assert "Becas para niñas" in text  # a Spanish discussion
    assert "Session recording 2025" in text and "Toolkit" in text  # French transcript, English document text
    assert "Session recording 2025" in titles(client, "scholarships")  # caption text
    assert "Library</a> (2)" in titles(client, "education")
    filtered = titles(client, "education", kind="item", theme="gender", region="africa")
    assert "Toolkit" in filtered and "Session recording 2025" not in filtered


def test_an_old_link_with_kind_library_lands_on_the_same_filter_as_item(client):
    old = client.get("/search", query_string={"q": "education", "kind": "library", "theme": "gender"})
    assert old.status_code == 301
    assert "kind=item" in old.location and "kind=library" not in old.location and "theme=gender" in old.location


def test_private_community_recordings_are_invisible_to_non_members_until_they_join(client, corpus, create_user,
                                                                                   sign_in):
    reader = sign_in(create_user())
    private = db.session.get(Community, corpus["community-private"].id)
    item(corpus["author"], "Confidential recording", kind="recording", community_id=private.id,
         transcript="Nuestra estrategia presupuestaria secreta.")
    db.session.commit()
    before = titles(client, "estrategia presupuestaria")
    assert "Confidential recording" not in before and "kind=item" not in before
    db.session.add(Membership(community=private, user=reader, status=MEMBER))
    db.session.commit()
    assert "Confidential recording" in titles(client, "estrategia presupuestaria")
