"""Organisation operations. Services flush; the calling view commits once."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from hub.audit import record
from hub.db import utcnow
from hub.extensions import db
from hub.organisations.countries import default_north_south, default_region
from hub.organisations.models import Organisation
from hub.pagination import paginate
from hub.slugs import unique_slug

#: Everything the secretariat may change.
EDITABLE = ("name", "acronym", "type", "country", "region", "north_south", "working_languages",
            "website", "description")
#: What a focal point may change on their own organisation (not its name, country or classification).
FOCAL_POINT_EDITABLE = ("working_languages", "website", "description")
#: Words the directory's own URLs use: never an organisation's slug.
RESERVED_SLUGS = {"new", "proposed"}
PROPOSED, ACTIVE = "proposed", "active"
FILTER_KEYS = ("region", "type", "north_south", "country")


def create_organisation(name: str, country: str, status: str = ACTIVE, **fields) -> Organisation:
    """A new organisation; region and North/South default from the country."""
    country = country.upper()
    slug = fields.pop("slug", None) or unique_slug(Organisation, fields.get("acronym") or name)
    if slug in RESERVED_SLUGS:
        slug = unique_slug(Organisation, f"{slug}-organisation")
    org = Organisation(name=name.strip(), country=country, status=status, slug=slug,
                       region=fields.pop("region", None) or default_region(country) or "africa",
                       north_south=fields.pop("north_south", None) or default_north_south(country))
    for key, value in fields.items():
        setattr(org, key, value)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, data: dict) -> None:
    """Apply the edited fields; an empty region or North/South falls back to the country's default."""
    for key in EDITABLE:
        if key in data:
            setattr(org, key, data[key])
    if "region" in data and not data["region"]:
        org.region = default_region(org.country) or "africa"
    if "north_south" in data and not data["north_south"]:
        org.north_south = default_north_south(org.country)
    db.session.flush()
    record("edit_organisation", org, details={"fields": sorted(key for key in data if key in EDITABLE)})


def publish(org: Organisation) -> None:
    """Accept a proposed organisation into the directory."""
    org.status = ACTIVE
    org.deleted_at = None
    db.session.flush()
    record("publish_organisation", org)


def decline(org: Organisation, merge_into: Organisation | None = None) -> int:
    """Remove a proposed organisation (soft); its people move to `merge_into` when given. Returns how many moved."""
    moved = 0
    if merge_into is not None and merge_into.id != org.id:
        for person in list(org.members):
            person.organisation = merge_into
            moved += 1
    org.deleted_at = utcnow()
    db.session.flush()
    record("decline_organisation", org, details={"moved_to": merge_into.id if merge_into else None, "moved": moved})
    return moved


def get_by_slug(slug: str) -> Organisation | None:
    """The organisation with this slug (whatever its status), or None."""
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def _listed():
    return sa.select(Organisation).where(Organisation.status == ACTIVE, Organisation.deleted_at.is_(None))


def listed_organisations():
    """Organisations shown in the directory and offered at registration, by name."""
    return db.session.scalars(_listed().order_by(Organisation.name)).all()


def proposed_organisations():
    """Organisations proposed at registration and not yet accepted or declined, oldest first."""
    return db.session.scalars(sa.select(Organisation).where(
        Organisation.status == PROPOSED, Organisation.deleted_at.is_(None))
        .options(selectinload(Organisation.members)).order_by(Organisation.created_at)).all()


def directory(filters: dict, page: int, per_page: int | None = None):
    """The directory, filtered by region, type, North/South and country, one page at a time."""
    query = _listed()
    for key in FILTER_KEYS:
        if filters.get(key):
            query = query.where(getattr(Organisation, key) == filters[key])
    return paginate(query.order_by(Organisation.name), page, per_page)


def directory_counts() -> dict[str, dict[str, int]]:
    """How many listed organisations each filter value has: {'region': {'africa': 12, …}, …}."""
    counts = {}
    for key in FILTER_KEYS:
        column = getattr(Organisation, key)
        rows = db.session.execute(sa.select(column, sa.func.count()).where(
            Organisation.status == ACTIVE, Organisation.deleted_at.is_(None)).group_by(column))
        counts[key] = {value: number for value, number in rows}
    return counts
