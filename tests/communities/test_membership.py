"""Joining (open, on request, by invitation), leaving, facilitators, removing, following."""

import sqlalchemy as sa

from hub.communities.models import DECLINED, INVITED, LEFT, MEMBER, REMOVED, REQUESTED, Follow, Membership
from hub.extensions import db

from .conftest import request_to_join


def status_of(community, user):
    return db.session.scalar(sa.select(Membership.status).where(
        Membership.community_id == community.id, Membership.user_id == user.id))


def follows(community, user):
    return db.session.scalar(sa.select(Follow.id).where(
        Follow.community_id == community.id, Follow.user_id == user.id)) is not None


def test_open_community_joins_at_once_and_follows(client, csrf_off, person, make_community, sign_in):
    community = make_community(person(), join_policy="open")
    newcomer = person(name="Nadia Newcomer")
    sign_in(newcomer)
    assert client.get(f"/communities/{community.slug}/join").status_code == 200
    response = client.post(f"/communities/{community.slug}/join")
    assert response.status_code == 302
    assert status_of(community, newcomer) == MEMBER
    assert follows(community, newcomer)
    page = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    assert "Leave" in page and "Unfollow" in page
    assert "New since your last visit" not in page  # a first visit: everything is new, nothing is flagged


def test_request_is_approved_with_a_message(client, csrf_off, person, make_community, sign_in, outbox):
    facilitator = person()
    community = make_community(facilitator, join_policy="request")
    asker = person(name="Asha Asker")
    sign_in(asker)
    client.post(f"/communities/{community.slug}/join", data={"message": "I work on school fees."})
    assert status_of(community, asker) == REQUESTED
    sign_in(facilitator)
    page = client.get(f"/communities/{community.slug}/requests").get_data(as_text=True)
    assert "Asha Asker" in page and "I work on school fees." in page
    row = db.session.scalar(sa.select(Membership).where(Membership.user_id == asker.id))
    response = client.post(f"/communities/{community.slug}/requests/{row.id}",
                           data={"decision": "approve", "message": "Welcome!"})
    assert response.status_code == 302
    assert status_of(community, asker) == MEMBER
    assert follows(community, asker)
    message = outbox.last_to(asker.email)
    assert "is approved" in message.get_body(preferencelist=("plain",)).get_content()
    assert "Welcome!" in message.get_body(preferencelist=("plain",)).get_content()


def test_declined_request_shows_the_message_and_can_be_sent_again(client, csrf_off, person, make_community, sign_in):
    facilitator = person()
    community = make_community(facilitator, join_policy="request")
    asker = person()
    row = request_to_join(community, asker)
    db.session.commit()
    sign_in(facilitator)
    client.post(f"/communities/{community.slug}/requests/{row.id}",
                data={"decision": "decline", "message": "Only for teachers' unions."})
    assert status_of(community, asker) == DECLINED
    sign_in(asker)
    page = client.get(f"/communities/{community.slug}/join").get_data(as_text=True)
    assert "Only for teachers&#39; unions." in page
    client.post(f"/communities/{community.slug}/join", data={"message": "I am a union."})
    assert status_of(community, asker) == REQUESTED


def test_decision_without_a_choice_decides_nothing(client, csrf_off, person, make_community, sign_in):
    facilitator = person()
    community = make_community(facilitator, join_policy="request")
    row = request_to_join(community, person())
    db.session.commit()
    sign_in(facilitator)
    client.post(f"/communities/{community.slug}/requests/{row.id}", data={"decision": "maybe"})
    client.post(f"/communities/{community.slug}/requests/{row.id}", data={})
    assert db.session.get(Membership, row.id).status == REQUESTED


def test_invitation_by_handle_or_email_accepted_or_declined(client, csrf_off, person, make_community, sign_in,
                                                            outbox):
    facilitator = person()
    community = make_community(facilitator, visibility="private", join_policy="invitation", title="Hidden Circle")
    guest, other = person(handle="guest-one"), person(email="other@example.org")
    sign_in(facilitator)
    assert client.post(f"/communities/{community.slug}/invite", data={"person": "@guest-one"}).status_code == 302
    assert client.post(f"/communities/{community.slug}/invite", data={"person": "OTHER@example.org"}).status_code == 302
    assert status_of(community, guest) == INVITED and status_of(community, other) == INVITED
    invitation = outbox.last_to(guest.email)
    assert invitation["Subject"] == "You are invited to join Hidden Circle"
    assert "/communities/invitations" in invitation.get_body(preferencelist=("plain",)).get_content()
    sign_in(guest)
    assert client.get(f"/communities/{community.slug}").status_code == 404
    assert "Hidden Circle" in client.get("/communities/invitations").get_data(as_text=True)
    client.post(f"/communities/{community.slug}/invitation", data={"answer": "accept"})
    assert status_of(community, guest) == MEMBER
    assert client.get(f"/communities/{community.slug}").status_code == 200
    sign_in(other)
    client.post(f"/communities/{community.slug}/invitation", data={"answer": "decline"})
    assert status_of(community, other) == DECLINED
    assert client.get(f"/communities/{community.slug}").status_code == 404


def test_inviting_someone_unknown_keeps_what_was_typed(client, csrf_off, person, make_community, sign_in):
    facilitator = person()
    community = make_community(facilitator, join_policy="invitation")
    sign_in(facilitator)
    response = client.post(f"/communities/{community.slug}/invite", data={"person": "nobody@example.org"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No hub member has this email address or handle." in html
    assert 'value="nobody@example.org"' in html


def test_invitation_only_community_cannot_be_joined_directly(client, csrf_off, person, make_community, sign_in):
    community = make_community(person(), join_policy="invitation")
    sign_in(person())
    assert "by invitation only" in client.get(f"/communities/{community.slug}/join").get_data(as_text=True)
    assert client.post(f"/communities/{community.slug}/join").status_code == 403


def test_leaving_and_the_last_facilitator(client, csrf_off, person, make_community, sign_in):
    facilitator, member = person(), person()
    community = make_community(facilitator, members=[member])
    sign_in(member)
    client.post(f"/communities/{community.slug}/leave")
    assert status_of(community, member) == LEFT and not follows(community, member)
    sign_in(facilitator)
    response = client.post(f"/communities/{community.slug}/leave", follow_redirects=True)
    assert "name another facilitator first" in response.get_data(as_text=True)
    assert status_of(community, facilitator) == MEMBER


def test_secretariat_facilitator_may_leave_last(client, csrf_off, person, make_community, sign_in):
    secretariat = person(is_secretariat=True)
    community = make_community(secretariat)
    sign_in(secretariat)
    client.post(f"/communities/{community.slug}/leave")
    assert status_of(community, secretariat) == LEFT


def test_naming_facilitators_and_removing_members(client, csrf_off, person, make_community, sign_in):
    facilitator, member, other = person(), person(name="Mo Member"), person()
    community = make_community(facilitator, visibility="private", members=[member, other])
    sign_in(facilitator)
    client.post(f"/communities/{community.slug}/members/{member.id}/facilitator", data={"facilitator": "1"})
    assert db.session.scalar(sa.select(Membership.is_facilitator).where(Membership.user_id == member.id))
    # Now two facilitators: the first may step down.
    client.post(f"/communities/{community.slug}/members/{facilitator.id}/facilitator", data={"facilitator": "0"})
    assert not db.session.scalar(sa.select(Membership.is_facilitator).where(Membership.user_id == facilitator.id))
    sign_in(member)
    client.post(f"/communities/{community.slug}/members/{other.id}/remove")
    assert status_of(community, other) == REMOVED
    sign_in(other)
    assert client.get(f"/communities/{community.slug}").status_code == 404
    assert client.post(f"/communities/{community.slug}/join").status_code == 404


def test_removed_member_cannot_rejoin_an_open_community_alone(client, csrf_off, person, make_community, sign_in):
    facilitator, member = person(), person()
    community = make_community(facilitator, members=[member])
    sign_in(facilitator)
    client.post(f"/communities/{community.slug}/members/{member.id}/remove")
    sign_in(member)
    assert "removed you" in client.get(f"/communities/{community.slug}/join").get_data(as_text=True)
    assert client.post(f"/communities/{community.slug}/join").status_code == 403
    assert status_of(community, member) == REMOVED


def test_members_only_the_facilitator_can_manage(client, csrf_off, person, make_community, sign_in):
    facilitator, member, other = person(), person(), person()
    community = make_community(facilitator, members=[member, other])
    sign_in(member)
    assert client.post(f"/communities/{community.slug}/members/{other.id}/remove").status_code == 403
    assert client.post(f"/communities/{community.slug}/members/{other.id}/facilitator",
                       data={"facilitator": "1"}).status_code == 403
    assert client.get(f"/communities/{community.slug}/requests").status_code == 403
    assert status_of(community, other) == MEMBER


def test_follow_and_unfollow(client, csrf_off, person, make_community, sign_in):
    community = make_community(person())
    reader = person()
    sign_in(reader)
    client.post(f"/communities/{community.slug}/follow")
    client.post(f"/communities/{community.slug}/follow")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow).where(Follow.user_id == reader.id)) == 1
    client.post(f"/communities/{community.slug}/unfollow")
    assert not follows(community, reader)


def test_members_page_shows_organisation_and_country(client, person, make_community, sign_in, create_org):
    org = create_org("Foro Educativo Perú", "PE", acronym="FEP")
    member = person(name="Lucía Fernández", organisation=org)
    community = make_community(person(), members=[member])
    sign_in(member)
    html = client.get(f"/communities/{community.slug}/members").get_data(as_text=True)
    assert "Lucía Fernández" in html and "Foro Educativo Perú" in html and "Peru" in html


def test_members_page_is_paginated_with_the_full_count(client, person, make_community, sign_in):
    members = [person(name=f"Member {n:02d}") for n in range(55)]
    community = make_community(person(name="Aaa Facilitator"), members=members)
    sign_in(members[0])
    first = client.get(f"/communities/{community.slug}/members").get_data(as_text=True)
    assert "56 members" in first and "Aaa Facilitator" in first and "Member 48" in first
    assert "Member 49" not in first and "Page 1 of 2" in first
    second = client.get(f"/communities/{community.slug}/members?page=2").get_data(as_text=True)
    assert "Member 49" in second and "Member 54" in second and "Member 00" not in second
    assert client.get(f"/communities/{community.slug}/members?page=999").status_code == 200
