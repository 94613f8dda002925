"""Organisation operations. Services flush; the calling view commits once."""

import sqlalchemy as sa

from hub.extensions import db
from hub.organisations.countries import default_north_south, default_region
from hub.organisations.models import Organisation
from hub.slugs import unique_slug

EDITABLE = ("name", "acronym", "type", "country", "region", "north_south", "working_languages",
            "website", "description")


def create_organisation(name: str, country: str, status: str = "active", **fields) -> Organisation:
    """A new organisation; region and North/South default from the country."""
    country = country.upper()
    org = Organisation(name=name.strip(), country=country, status=status,
                       slug=fields.pop("slug", None) or unique_slug(Organisation, fields.get("acronym") or name),
                       region=fields.pop("region", None) or default_region(country) or "africa",
                       north_south=fields.pop("north_south", None) or default_north_south(country))
    for key, value in fields.items():
        setattr(org, key, value)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, data: dict) -> None:
    for key in EDITABLE:
        if key in data:
            setattr(org, key, data[key])


def get_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def listed_organisations():
    """Organisations shown in the directory and offered at registration, by name."""
    return db.session.scalars(sa.select(Organisation).where(
        Organisation.status == "active", Organisation.deleted_at.is_(None)).order_by(Organisation.name)).all()


def directory(filters: dict, page: int, per_page: int):
    """The directory, filtered by region, type, North/South and country, one page at a time."""
    query = sa.select(Organisation).where(Organisation.status == "active", Organisation.deleted_at.is_(None))
    for key in ("region", "type", "north_south", "country"):
        if filters.get(key):
            query = query.where(getattr(Organisation, key) == filters[key])
    return db.paginate(query.order_by(Organisation.name), page=page, per_page=per_page, error_out=False)
