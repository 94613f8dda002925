"""Countries, the movement's five regions, and the Global North / South default of each country.

Country names are not stored: Babel gives them in the reader's language from the ISO code.
"""

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

REGIONS = {
    "africa": _l("Africa"),
    "asia_pacific": _l("Asia-Pacific"),
    "latin_america": _l("Latin America and the Caribbean"),
    "mena": _l("Middle East and North Africa"),
    "europe_north_america": _l("Europe and North America"),
}

NORTH_SOUTH = {"north": _l("Global North"), "south": _l("Global South")}

_REGION_COUNTRIES = {
    "africa": "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ "
              "NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW",
    "asia_pacific": "AF AU BD BN BT CN FJ FM HK ID IN JP KH KI KR KP LA LK MH MM MN MV MY NP NR NZ PG PH "
                    "PK PW SB SG TH TL TO TV TW VN VU WS KZ KG TJ TM UZ",
    "latin_america": "AG AR BB BO BR BS BZ CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA PE PY SR "
                     "SV TT UY VC VE",
    "mena": "AE BH DZ EG IQ IR JO KW LB LY MA OM PS QA SA SY TN YE",
    "europe_north_america": "AD AL AM AT AZ BA BE BG BY CA CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE "
                            "IL IS IT LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM TR UA "
                            "US VA XK",
}
COUNTRY_REGION = {code: region for region, codes in _REGION_COUNTRIES.items() for code in codes.split()}

#: Default Global North: high-income countries of Europe and North America, and a few others.
#: The secretariat can change any organisation's group.
_NORTH = set(("AD AT AU BE CA CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IL IS IT JP KR LI LT LU LV MC MT NL "
              "NO NZ PL PT SE SI SK SM US VA").split())


def default_region(country: str) -> str | None:
    """The movement region a country belongs to, or None when unknown."""
    return COUNTRY_REGION.get((country or "").upper())


def default_north_south(country: str) -> str:
    """'north' or 'south' as the default for a country."""
    return "north" if (country or "").upper() in _NORTH else "south"


def country_name(code: str | None, locale=None) -> str:
    """The country's name in the current (or given) language."""
    if not code:
        return ""
    try:
        return Locale.parse(str(locale or get_locale())).territories.get(code.upper(), code)
    except (ValueError, TypeError):
        return code


def country_choices():
    """(code, localised name) for every country we know, sorted by name in the reader's language."""
    return sorted(((code, country_name(code)) for code in COUNTRY_REGION), key=lambda item: item[1].casefold())
