"""Every "may this person do this to this object?" answered by one small, named predicate.

Views ask these, never the roles directly, so a test can walk every route against every role.
Anonymous visitors arrive as Flask-Login's AnonymousUserMixin: is_authenticated is False.

The derived-data rule. Pages are not the only way out: whatever the hub *computes* from data —
counts, averages, search suggestions and snippets, facet counts, notifications, emails, digests,
feeds, exports and caches — leaks it unless one of two things holds:

1. It is filtered by the same predicate as the page that shows the data, for the same reader, at
   the moment it is shown or sent: search hits, facet counts and "Did you mean" come from the
   reader's permitted results only (hub.search.suggestions), notifications from visible_to() and
   can_see(), member and reply counts only for communities and discussions the reader may open.
   A word, title or number that only a private, pending, hidden or deleted object holds must
   never reach someone who may not open that object — not even as a correction or a count.
2. Or it is an aggregate above a disclosure threshold: every figure rests on at least three
   organisations (or people) besides the viewer's own, and no two figures the viewer can obtain
   (other filters, other rounds, other pages) combine to isolate fewer (hub.survey.disclosure).
   The secretariat's desk (dashboard, round exports) sees the figures unsuppressed.

Copies of personal data follow the person: anonymising rewrites every table (hub.desk.erasure).
A new figure, feed or cache that fits neither rule is a leak waiting to be found.
"""

import sqlalchemy as sa
from flask import current_app, g, has_request_context

from hub.communities.models import ACTIVE as COMMUNITY_ACTIVE
from hub.communities.models import MEMBER, REMOVED, Community, Membership
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.learning_sessions.models import PROPOSALS as SESSION_PROPOSALS
from hub.learning_sessions.models import PROPOSED as SESSION_PROPOSED
from hub.learning_sessions.models import SCHEDULED as SESSION_SCHEDULED
from hub.library.models import LibraryItem


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_secretariat(user) -> bool:
    return is_signed_in(user) and user.is_secretariat


def is_focal_point_of(user, organisation) -> bool:
    return (is_signed_in(user) and user.is_focal_point and organisation is not None
            and user.organisation_id == organisation.id)


def can_contribute(user) -> bool:
    """Write anything others read — post, reply, upload, react, report, propose: signed in and not
    silenced (read-only, hub.accounts.sanctions). Every posting predicate below asks this one."""
    return is_signed_in(user) and not user.is_silenced


def can_view_organisation(user, organisation) -> bool:
    """Listed organisations are public; proposed or deleted ones only for the secretariat."""
    return organisation.is_listed or is_secretariat(user)


def can_edit_organisation(user, organisation) -> bool:
    return is_secretariat(user) or is_focal_point_of(user, organisation)


def can_classify_organisation(user, organisation) -> bool:
    """Name, country, type, region and Global North/South: the secretariat only."""
    return is_secretariat(user)


def can_create_organisation(user) -> bool:
    return is_secretariat(user)


def can_review_organisations(user) -> bool:
    """Accept or decline organisations proposed at registration."""
    return is_secretariat(user)


def can_review_registrations(user) -> bool:
    """Focal points review their own organisation's registrations; the secretariat all of them."""
    return is_secretariat(user) or (is_signed_in(user) and user.is_focal_point)


def can_review_registration_of(user, applicant) -> bool:
    """Decide on this person's registration: the secretariat, or a focal point of their listed organisation."""
    if not is_signed_in(user) or applicant.id == user.id:
        return False
    if is_secretariat(user):
        return True
    return is_focal_point_of(user, applicant.organisation) and bool(
        applicant.organisation and applicant.organisation.is_listed)


def can_approve(user, applicant) -> bool:
    """Approve or decline a pending account."""
    return applicant.is_pending and can_review_registration_of(user, applicant)


def can_view_profile(user, person) -> bool:
    """Profiles of active people are visible to signed-in members; the secretariat sees everyone."""
    if is_secretariat(user) or (is_signed_in(user) and user.id == person.id):
        return True
    return is_signed_in(user) and person.is_active


# --- Communities -----------------------------------------------------------------------------

def membership_of(user, community):
    """The person's Membership row in a community, or None (cached on the user for the request)."""
    if not is_signed_in(user) or community is None:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    if community.id not in cache:
        cache[community.id] = db.session.scalar(sa.select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id))
    return cache[community.id]


def forget_memberships(user) -> None:
    """Call after changing someone's membership within the same request."""
    if is_signed_in(user):
        user.__dict__.pop("_memberships", None)
        if has_request_context():
            g.get("can_use_desk", {}).pop(user.id, None)


def is_community_member(user, community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.status == MEMBER


def facilitated_communities(user):
    """SQL: the ids of the communities this person facilitates (a subquery; the secretariat is not implied)."""
    return sa.select(Membership.community_id).where(Membership.user_id == user.id, Membership.status == MEMBER,
                                                    Membership.is_facilitator.is_(True))


def is_facilitator(user, community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.status == MEMBER and membership.is_facilitator


def can_view_community(user, community) -> bool:
    """Read the community and its content: public to all, members-only to signed-in people,
    private to its members; proposed or deleted communities to the secretariat (and the proposer)."""
    if community.is_deleted:
        return is_secretariat(user)
    if community.status != COMMUNITY_ACTIVE:
        return is_secretariat(user) or (is_signed_in(user) and community.created_by_id == user.id)
    if is_secretariat(user):
        return True
    if community.visibility == "public":
        return True
    if community.visibility == "members":
        return is_signed_in(user)
    return is_community_member(user, community)


def readable_communities(user):
    """SQL condition on Community: the active communities `user` may read now (as can_view_community,
    for search and lists; memberships are read at query time, so leaving takes effect at once)."""
    live = sa.and_(Community.status == COMMUNITY_ACTIVE, Community.deleted_at.is_(None))
    if is_secretariat(user):
        return live
    readable = [Community.visibility == "public"]
    if is_signed_in(user):
        readable.append(Community.visibility == "members")
        readable.append(Community.id.in_(sa.select(Membership.community_id).where(
            Membership.user_id == user.id, Membership.status == MEMBER)))
    return sa.and_(live, sa.or_(*readable))


def can_list_community(user, community) -> bool:
    """Show the community's title in lists: a private one only if discoverable (never its content)."""
    if can_view_community(user, community):
        return True
    return (community.status == COMMUNITY_ACTIVE and not community.is_deleted and community.is_private
            and community.discoverable and is_signed_in(user))


def can_post_in(user, community) -> bool:
    """Start discussions and reply: active members of an active community, and the secretariat."""
    if not can_contribute(user) or community.status != COMMUNITY_ACTIVE or community.is_deleted:
        return False
    return is_secretariat(user) or is_community_member(user, community)


def can_facilitate(user, community) -> bool:
    """Approve join requests, invite, pin, lock, move, mark best practices."""
    return is_secretariat(user) or is_facilitator(user, community)


def can_create_community(user) -> bool:
    return is_secretariat(user)


def can_propose_community(user) -> bool:
    return can_contribute(user)


def preload_memberships(user, community_ids) -> None:
    """Fill membership_of's cache for many communities with one query (lists ask for each)."""
    if not is_signed_in(user):
        return
    cache = user.__dict__.setdefault("_memberships", {})
    wanted = [cid for cid in community_ids if cid not in cache]
    if not wanted:
        return
    found = {m.community_id: m for m in db.session.scalars(sa.select(Membership).where(
        Membership.user_id == user.id, Membership.community_id.in_(wanted)))}
    for cid in wanted:
        cache[cid] = found.get(cid)


def can_edit_community(user, community) -> bool:
    return can_facilitate(user, community)


def can_set_discoverable(user) -> bool:
    """Whether a private community's title may be listed to non-members: the secretariat decides."""
    return is_secretariat(user)


def can_review_proposals(user) -> bool:
    return is_secretariat(user)


def can_join_community(user, community) -> bool:
    """Join at once (open) or ask to (on request); communities by invitation are joined by accepting."""
    if not is_signed_in(user) or not community.is_open or community.join_policy == "invitation":
        return False
    if is_community_member(user, community) or not can_list_community(user, community):
        return False
    membership = membership_of(user, community)
    return membership is None or membership.status != REMOVED


def can_follow_community(user, community) -> bool:
    return is_signed_in(user) and can_view_community(user, community)


# --- Discussions -----------------------------------------------------------------------------

def can_view_discussion(user, discussion) -> bool:
    """Read a discussion: whoever may read its community; a deleted one only its author (to undo);
    a hidden one only its author and the community's moderators."""
    if not can_view_community(user, discussion.community):
        return False
    if discussion.hidden_at is not None and not can_see_hidden(user, discussion, discussion.community):
        return False
    return not discussion.is_deleted or (is_signed_in(user) and discussion.author_id == user.id)


def can_see_hidden(user, post, community) -> bool:
    """Content hidden by moderators: its author (who is told why) and whoever moderates there."""
    if not is_signed_in(user):
        return False
    owner = getattr(post, "author_id", None) or getattr(post, "owner_id", None)
    return owner == user.id or can_moderate(user, community)


def can_view_reply(user, reply, community) -> bool:
    """A reply never published (waiting for review, or rejected) is there only for its author and moderators."""
    return not (reply.is_pending or reply.is_rejected) or can_see_hidden(user, reply, community)


def can_reply(user, discussion) -> bool:
    """Reply or react: whoever may post in the community, while the discussion is open."""
    return can_post_in(user, discussion.community) and not discussion.is_locked and not discussion.is_deleted


def can_report(user) -> bool:
    """Report content to the moderators: whoever may contribute (a silenced person may not)."""
    return can_contribute(user)


def can_edit_post(user, post, community) -> bool:
    """Edit, delete or restore a post: its author, while still allowed to post in the community."""
    return is_signed_in(user) and post.author_id == user.id and can_post_in(user, community)


def can_view_revisions(user, post, community) -> bool:
    """Earlier versions of a post: its author, the community's facilitators and the secretariat."""
    return is_signed_in(user) and (post.author_id == user.id or can_facilitate(user, community))


def can_mark_answer(user, discussion) -> bool:
    """On a question: its author or a facilitator marks a reply as the answer."""
    if not discussion.is_question or not can_post_in(user, discussion.community):
        return False
    return discussion.author_id == user.id or can_facilitate(user, discussion.community)


# --- Capacity mapping ----------------------------------------------------------------------------

def can_manage_survey(user) -> bool:
    """Open, edit and close rounds, reopen submissions, export answers, make introductions."""
    return is_secretariat(user)


def can_view_capacity_map(user) -> bool:
    """The aggregated map: every signed-in member."""
    return is_signed_in(user)


def can_view_survey_answers(user, organisation) -> bool:
    """One organisation's own answers: its people and the secretariat."""
    return is_secretariat(user) or (is_signed_in(user) and organisation is not None
                                    and user.organisation_id == organisation.id)


def can_answer_survey(user, organisation) -> bool:
    """Answer for an organisation: its focal points."""
    return is_focal_point_of(user, organisation)


def can_view_suggestions(user, organisation) -> bool:
    """Who can help whom, for one organisation: its focal points and the secretariat."""
    return is_secretariat(user) or is_focal_point_of(user, organisation)


def can_view_plan(user, organisation) -> bool:
    """An organisation's capacity-building plan: private like its answers (its people, the secretariat)."""
    return can_view_survey_answers(user, organisation)


def can_edit_plan(user, organisation) -> bool:
    """Choose priorities and write actions: the organisation's focal points."""
    return is_focal_point_of(user, organisation)


def can_delete_plan_action(user, organisation) -> bool:
    """Delete (softly) or restore an action of the plan: the organisation's focal points and the secretariat."""
    return is_secretariat(user) or can_edit_plan(user, organisation)


def can_request_exchange(user, organisation) -> bool:
    """Ask a suggested organisation for a peer exchange on behalf of this one: its focal points."""
    return is_focal_point_of(user, organisation)


def can_view_exchange(user, intro) -> bool:
    """An exchange (or a request for one): the people of both organisations and the secretariat."""
    return is_secretariat(user) or (is_signed_in(user) and user.organisation_id in (intro.seeker_id, intro.helper_id))


def can_answer_exchange(user, intro) -> bool:
    """Accept or decline a request: the asked organisation's focal points, or the secretariat stepping in."""
    return is_secretariat(user) or is_focal_point_of(user, intro.helper)


def can_edit_exchange(user, intro) -> bool:
    """Goals, sessions, resources and outcome: focal points of either side and the secretariat."""
    return is_secretariat(user) or any(is_focal_point_of(user, org) for org in (intro.seeker, intro.helper))


def is_named_reviewer(user, reviewers) -> bool:
    """Named by the focal point to confirm answers: the person, or a focal point of the named organisation."""
    return is_signed_in(user) and any(
        r.reviewer_user_id == user.id or (r.reviewer_organisation_id is not None and user.is_focal_point
                                          and user.organisation_id == r.reviewer_organisation_id)
        for r in reviewers)


def can_view_answer_notes(user, organisation, reviewers) -> bool:
    """Notes and evidence on answers: whoever may see the answers, and the reviewers the focal point named."""
    return can_view_survey_answers(user, organisation) or is_named_reviewer(user, reviewers)


def can_add_answer_note(user, organisation, reviewers) -> bool:
    """Comment, add evidence or confirm: the organisation's focal points, the secretariat, named reviewers."""
    return is_secretariat(user) or is_focal_point_of(user, organisation) or is_named_reviewer(user, reviewers)


# --- Library ---------------------------------------------------------------------------------------

def can_view_item(user, item) -> bool:
    """A library item (and every byte of its files): its community's readers; outside any community,
    signed-in members, or everyone when marked public. Deleted items: the secretariat only."""
    if item.is_deleted:
        return is_secretariat(user)
    if item.hidden_at is not None and not can_see_hidden(user, item, item.community):
        return False
    if item.community is not None:
        return can_view_community(user, item.community)
    return item.is_public or is_signed_in(user)


def readable_items(user):
    """SQL condition on LibraryItem: the items `user` may see now (the rules of can_view_item)."""
    alive = sa.and_(LibraryItem.deleted_at.is_(None), LibraryItem.hidden_at.is_(None))
    if is_secretariat(user):
        return alive
    outside = LibraryItem.community_id.is_(None)
    if not is_signed_in(user):
        outside = sa.and_(outside, LibraryItem.is_public.is_(True))
    readable = LibraryItem.community_id.in_(sa.select(Community.id).where(readable_communities(user)))
    return sa.and_(alive, sa.or_(outside, readable))


def can_edit_item(user, item) -> bool:
    """Edit, add captions, retry processing or delete: the owner, the community's facilitators, the secretariat."""
    if not is_signed_in(user):
        return False
    if is_secretariat(user):
        return True
    if item.owner_id == user.id:
        return can_contribute(user)
    return item.community is not None and can_facilitate(user, item.community)


def can_add_item(user) -> bool:
    """Add to the library (outside communities, or in one where the person may post)."""
    return can_contribute(user)


def can_add_item_to(user, community) -> bool:
    return can_post_in(user, community)


# --- Moderation (the secretariat's desk) -----------------------------------------------------------

def can_moderate(user, community) -> bool:
    """Hide, restore, lock, dismiss reports: the secretariat anywhere; facilitators in their communities
    (content outside any community: the secretariat only)."""
    if is_secretariat(user):
        return True
    return community is not None and is_facilitator(user, community)


def can_publish_directly(user, community) -> bool:
    """Post without waiting for review (pre-moderation): whoever moderates there; else people with
    PREMODERATION_FIRST_POSTS published posts, unless the community reviews every post."""
    if can_moderate(user, community):
        return True
    if community is not None and community.reviews_every_post:
        return False
    needed = current_app.config["PREMODERATION_FIRST_POSTS"]
    return needed <= 0 or published_posts(user, needed) >= needed


def needs_review(author, community, review: bool | None = None) -> bool:
    """Whether a new post waits for a moderator: as `review` says, or (None) as pre-moderation says."""
    return review if review is not None else not can_publish_directly(author, community)


def published_posts(user, enough: int) -> int:
    """How many of the person's posts are published (not waiting, rejected or hidden), counting up to `enough`."""
    found = 0
    for model, author in ((Discussion, Discussion.author_id), (Reply, Reply.author_id),
                          (LibraryItem, LibraryItem.owner_id)):
        found += db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.select(model.id).where(author == user.id, model.hidden_at.is_(None)).limit(enough - found).subquery()))
        if found >= enough:
            break
    return found


def can_use_desk(user) -> bool:
    """The moderation queue: the secretariat and anyone facilitating at least one community. Every
    page's header asks: answered once per request and person (kept on flask.g)."""
    if is_secretariat(user):
        return True
    if not is_signed_in(user):
        return False
    known = g.setdefault("can_use_desk", {}) if has_request_context() else {}
    if user.id not in known:
        known[user.id] = db.session.scalar(facilitated_communities(user).limit(1)) is not None
    return known[user.id]


def needs_second_factor(user) -> bool:
    """Whether this person must have two-factor sign-in before using the desk (TWO_FACTOR_REQUIRED_FOR)."""
    roles = current_app.config["TWO_FACTOR_REQUIRED_FOR"]
    if not is_signed_in(user):
        return False
    return (("secretariat" in roles and is_secretariat(user))
            or ("focal_points" in roles and user.is_focal_point)
            or ("facilitators" in roles and can_use_desk(user)))


def can_delete_permanently(user) -> bool:
    return is_secretariat(user)


def can_read_audit_log(user) -> bool:
    return is_secretariat(user)


def can_view_dashboard(user) -> bool:
    """The knowledge-flow dashboard: the secretariat."""
    return is_secretariat(user)


def can_manage_people(user) -> bool:
    """Suspend, reinstate and change roles: the secretariat."""
    return is_secretariat(user)


# --- Learning sessions -------------------------------------------------------------------------------

def can_view_session(user, session) -> bool:
    """A learning session: whoever may read its community (so a private community's sessions stay
    inside it, wherever they are shown); a deleted one only the secretariat; a member's proposal
    (pending or declined) only its proposer and the community's facilitators, until it is announced."""
    if session.deleted_at is not None:
        return is_secretariat(user)
    if not can_view_community(user, session.community):
        return False
    return session.status not in SESSION_PROPOSALS or is_proposer(user, session) or \
        can_facilitate(user, session.community)


def is_proposer(user, session) -> bool:
    return is_signed_in(user) and session.created_by_id == user.id


def can_schedule_session(user, community) -> bool:
    """Announce a session in a community: its facilitators and the secretariat."""
    return community.is_open and can_facilitate(user, community)


def can_manage_session(user, session) -> bool:
    """Edit, cancel, see and export the registrations, attach the recording: the community's facilitators."""
    return can_facilitate(user, session.community)


def can_propose_session(user, community) -> bool:
    """Propose a session: a member who may contribute, where the community lets members propose."""
    return (community.is_open and community.members_propose_sessions and can_contribute(user)
            and is_community_member(user, community))


def can_edit_proposal(user, session) -> bool:
    """Change or withdraw a pending proposal: its proposer (while they may contribute)."""
    return session.status == SESSION_PROPOSED and is_proposer(user, session) and can_contribute(user)


def can_decide_proposal(user, session) -> bool:
    """Announce or decline a member's pending proposal: the community's facilitators."""
    return session.status == SESSION_PROPOSED and can_facilitate(user, session.community)


def can_mark_attendance(user, session) -> bool:
    """Mark who came to an announced session: its organiser and the community's facilitators."""
    return session.status == SESSION_SCHEDULED and (is_proposer(user, session) or can_manage_session(user, session))


def can_register_for_session(user, session) -> bool:
    """Take a seat: a signed-in person who may see the session, in an open community, before it starts."""
    from_here = is_signed_in(user) and user.is_active and can_view_session(user, session)
    return (from_here and session.community.is_open and session.status == SESSION_SCHEDULED
            and not session.has_started())


def can_see_session_link(user, session, registered: bool) -> bool:
    """The online link: anyone who may see a public community's session; elsewhere registered people
    and the organisers."""
    if not can_view_session(user, session):
        return False
    return session.community.visibility == "public" or registered or can_manage_session(user, session)


def readable_sessions(user, model):
    """SQL condition on the session model: the sessions `user` may see now (as can_view_session)."""
    readable = sa.select(Community.id).where(readable_communities(user))
    condition = model.community_id.in_(readable)
    if is_secretariat(user):
        return condition
    announced = model.status.not_in(SESSION_PROPOSALS)
    if is_signed_in(user):
        announced = sa.or_(announced, model.created_by_id == user.id,
                           model.community_id.in_(facilitated_communities(user)))
    return sa.and_(condition, model.deleted_at.is_(None), announced)
