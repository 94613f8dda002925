"""Member organisations: national and regional coalitions, international organisations, partners."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import SoftDeleteMixin, TimestampMixin
from hub.extensions import db
from hub.organisations.countries import NORTH_SOUTH, REGIONS, country_name

ORGANISATION_TYPES = {
    "national_coalition": _l("National coalition"),
    "regional_coalition": _l("Regional coalition"),
    "international": _l("International organisation"),
    "partner": _l("Partner"),
}


class Organisation(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    acronym: Mapped[str] = mapped_column(sa.String(30), default="")
    type: Mapped[str] = mapped_column(sa.String(30), default="national_coalition")
    country: Mapped[str] = mapped_column(sa.String(2))
    region: Mapped[str] = mapped_column(sa.String(30))
    north_south: Mapped[str] = mapped_column(sa.String(5))
    working_languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: 'active' organisations are in the directory; 'proposed' ones wait for the secretariat.
    status: Mapped[str] = mapped_column(sa.String(20), default="active")

    members = relationship("User", back_populates="organisation", lazy="select")

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def region_label(self) -> str:
        return str(REGIONS.get(self.region, self.region))

    @property
    def north_south_label(self) -> str:
        return str(NORTH_SOUTH.get(self.north_south, self.north_south))

    @property
    def type_label(self) -> str:
        return str(ORGANISATION_TYPES.get(self.type, self.type))

    @property
    def is_listed(self) -> bool:
        return self.status == "active" and not self.is_deleted
