"""One document function per content type: what the index knows about each searchable object.

Each returns the fields of hub.search.index.make_schema(). Permissions are not decided here: a
document records its own state (`access`: hidden, public …) and its community, and hub.search.access
decides with the reader's current rights from the database.
"""

from flask import current_app

from hub.accounts.models import ACTIVE as PERSON_ACTIVE
from hub.organisations.countries import country_name


#: A document's own state, stored as `access` (hub.search.access decides with the reader's rights).
OPEN, HIDDEN, PUBLIC, MEMBERS = "open", "hidden", "public", "members"
#: A member's session proposal: seen by its proposer and the facilitators only, so the database decides.
PROPOSAL = "proposal"

#: Snippets come from at most this much stored text (all of it is searchable).
STORED_MAX = 20_000


def _common(kind: str, obj, title: str, parts, languages=(), community=None, themes=(), region=None,
            extra: str = "", year=None, access: str = OPEN) -> dict:
    content = "\n".join(part for part in parts if part)
    created = getattr(obj, "created_at", None)
    regions = [region] if isinstance(region, str) else list(region or ())
    return {
        "key": f"{kind}:{obj.id}", "kind": kind, "title": title,
        "content": f"{content}\n{extra}" if extra else content,
        # `extra` is searchable but never shown in snippets, which come from the stored text.
        "_stored_content": content[:STORED_MAX],
        "languages": ",".join(languages or ()), "community": str(community or ""),
        "themes": ",".join(themes or ()), "region": ",".join(r for r in regions if r),
        "year": str(year or (created.year if created else "")), "date": created.isoformat() if created else "",
        "access": access,
    }


def country_names(code: str) -> str:
    """The country's name in each of the hub's languages, so any of them finds it."""
    names = dict.fromkeys(country_name(code, locale) for locale in current_app.config["LANGUAGES"])
    return " ".join(names)


def organisation_document(org) -> dict:
    """Name, acronym, description and country (in all five languages)."""
    return _common("organisation", org, org.display_name, [org.description], languages=org.working_languages,
                   region=org.region, extra=country_names(org.country),
                   access=OPEN if org.status == "active" and org.deleted_at is None else HIDDEN)


def person_document(person) -> dict:
    """Name, organisation and expertise — never the email address."""
    org = person.organisation
    return _common("person", person, person.name,
                   [org.display_name if org else "", person.expertise],
                   languages=person.languages, region=org.region if org else None,
                   access=OPEN if person.status == PERSON_ACTIVE and person.email_verified_at is not None
                   and person.deleted_at is None else HIDDEN)


def community_document(community) -> dict:
    """Title and description; the community is its own 'community' facet value."""
    return _common("community", community, community.title, [community.description],
                   languages=community.languages, community=community.id, themes=community.themes,
                   region=community.region)


def discussion_document(discussion, replies=()) -> dict:
    """Title, opening post and every reply (the texts of those not deleted); in its community's facets."""
    community = discussion.community
    return _common("discussion", discussion, discussion.title, [discussion.body, *replies],
                   languages=[discussion.language], community=discussion.community_id,
                   themes=discussion.themes, region=community.region if community else None,
                   access=HIDDEN if discussion.hidden_at is not None else OPEN)


def library_item_document(item, captions=()) -> dict:
    """Title, description, speakers, transcript, caption text and the document's extracted text."""
    return _common("item", item, item.title,
                   [item.description, item.speakers, item.transcript, *captions, item.extracted_text],
                   languages=item.languages, community=item.community_id, themes=item.themes,
                   region=item.regions, year=item.year,
                   access=HIDDEN if item.hidden_at is not None else PUBLIC if item.is_public else MEMBERS)


def learning_session_document(session) -> dict:
    """Title, description, place, notes and what was learned; in its community's facets."""
    community = session.community
    return _common("learning_session", session, session.title,
                   [session.description, session.place, session.notes, session.summary],
                   languages=[*session.languages, *session.interpretation], community=session.community_id,
                   themes=session.themes, region=community.region if community else None,
                   year=session.starts_at.year, access=PROPOSAL if session.is_proposal else OPEN)
