"""The list, a community page and its members page: the number of SQL queries does not grow with the
number of communities or members."""

from hub.extensions import db

from .conftest import add_member


def _communities(person, make_community, n, reader):
    owner = person()
    kinds = ("public", "members", "private")
    for i in range(n):
        community = make_community(owner, visibility=kinds[i % 3], discoverable=i % 2 == 0,
                                   themes=["financing"], members=[person()])
        if i % 4 == 0:
            add_member(community, reader)
    db.session.commit()


def _queries(client, count_queries, url):
    db.session.expire_all()  # the test shares the requests' session: start each measure from the same state
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries()


def test_list_queries_do_not_grow_with_communities(app, client, person, make_community, sign_in, count_queries):
    reader = person()
    sign_in(reader)
    _communities(person, make_community, 5, reader)
    few = _queries(app.test_client(), count_queries, "/communities")  # anonymous
    few_signed_in = _queries(client, count_queries, "/communities?theme=financing")
    _communities(person, make_community, 45, reader)
    assert _queries(app.test_client(), count_queries, "/communities") == few
    assert _queries(client, count_queries, "/communities?theme=financing") == few_signed_in


def test_community_and_members_pages_do_not_grow_with_members(client, person, make_community, sign_in,
                                                             count_queries):
    member = person()
    community = make_community(person(), members=[member] + [person() for _ in range(4)])
    sign_in(member)
    client.get(f"/communities/{community.slug}")  # the hourly visit write happens here, not below
    page, members = (_queries(client, count_queries, f"/communities/{community.slug}"),
                     _queries(client, count_queries, f"/communities/{community.slug}/members"))
    for _ in range(45):
        add_member(community, person())
    db.session.commit()
    assert _queries(client, count_queries, f"/communities/{community.slug}") == page
    assert _queries(client, count_queries, f"/communities/{community.slug}/members") == members
