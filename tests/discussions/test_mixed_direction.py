"""Names, organisations and dates in a post's meta line stay whole in right-to-left pages."""

import re


def test_post_meta_isolates_latin_names_and_dates_in_arabic(client, auth, create_user, create_org, create_community,
                                                           add_member, make_discussion):
    author = create_user(email="author@example.org", name="Wanjiru Kamau",
                         organisation=create_org("Elimu Coalition Network Kenya (ECNK)"))
    reader = create_user(email="reader@example.org", locale="ar")
    place = create_community(visibility="public")
    add_member(place, author)
    discussion = make_discussion(place, author, replies=1)
    auth.login(reader.email)
    page = client.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page
    metas = re.findall(r'<header class="post-meta">(.*?)</header>', page, re.S)
    assert len(metas) == 2  # the opening post and the reply
    for meta in metas:
        # Without isolation the date's digits join the Latin name: "23 · … · Wanjiru Kamau/2026/11، 7:53 م"
        assert "<bdi>Wanjiru Kamau</bdi>" in meta
        assert "<bdi>Elimu Coalition Network Kenya (ECNK)</bdi>" in meta
        assert re.search(r"<bdi><time datetime=[^>]+>[^<]+</time></bdi>", meta)


def test_listed_titles_keep_their_own_direction_in_arabic(client, auth, create_user, create_community, add_member,
                                                         make_discussion):
    """"…this week?" in an Arabic list must not read "…this ?week": each listed title is isolated."""
    reader = create_user(email="reader@example.org", locale="ar")
    place = create_community(visibility="public", title="Weekly check-in: what did we do?")
    add_member(place, reader)
    discussion = make_discussion(place, reader, title="How do you track budgets?")
    auth.login(reader.email)
    community = client.get(f"/communities/{place.slug}").get_data(as_text=True)
    assert re.search(rf'<a href="/discussions/{discussion.id}" lang="en" dir="auto">How do you track budgets\?</a>',
                     community)
    index = client.get("/communities/").get_data(as_text=True)
    assert re.search(r'<a href="[^"]+" dir="auto">Weekly check-in: what did we do\?</a>', index)
