"""Interface language and time zone: choosing them, exposing them to templates, and `flask translate`."""

import subprocess
import sys
from pathlib import Path
from zoneinfo import available_timezones

import click
from babel import Locale
from flask import current_app, g, has_app_context, request, session
from flask.cli import AppGroup
from flask_babel import Domain, get_locale
from flask_login import current_user

from hub.extensions import babel

#: Each interface language named in itself, so a person finds their own whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português", "ar": "العربية"}
RTL_LANGUAGES = {"ar"}
ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    """The person's saved preference, then their choice in this browser, then Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str | None:
    """The person's own time zone when signed in; otherwise UTC."""
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return None


def text_direction(locale=None) -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    code = str(locale or get_locale()).split("_")[0]
    return "rtl" if code in RTL_LANGUAGES else "ltr"


_TIMEZONES = sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/")))


def timezone_choices():
    """IANA time zones, plus UTC first."""
    return [("UTC", "UTC")] + [(tz, tz.replace("_", " ")) for tz in _TIMEZONES]


def language_choices():
    """(code, native name) for the interface languages."""
    return [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]


def spoken_language_name(code: str) -> str:
    """A language's name in the current interface language (Babel knows them)."""
    try:
        return Locale.parse(str(get_locale())).languages.get(code, code)
    except (ValueError, TypeError):
        return code


def register(app) -> None:
    app.jinja_env.globals.update(
        get_locale=get_locale, text_direction=text_direction, LANGUAGE_NAMES=LANGUAGE_NAMES,
        spoken_language_name=spoken_language_name)
    app.jinja_env.add_extension("jinja2.ext.do")
    babel.domain_instance = CATALOG_DOMAIN  # the Babel object's own domain (a cached property), once for all apps
    # Replaces flask-babel's callables (installed by babel.init_app, before this): same catalogs, looked up once.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True)


def page_translations():
    """The catalog for the locale in force (see CatalogDomain): Jinja's callables go straight to it."""
    return CATALOG_DOMAIN.get_translations()


class CatalogDomain(Domain):
    """flask-babel's domain, with the catalog kept on `g` while the locale stays (force_locale, used for
    mail, swaps it): flask-babel found it again through several context lookups for every string —
    ~150 on a discussion page, a sixth of its time."""

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()
        locale = getattr(g.get("_flask_babel"), "babel_locale", None)
        cached = g.get("hub_translations")
        if cached is not None and locale is not None and cached[0] is locale:
            return cached[1]
        translations = super().get_translations()  # sets babel_locale on the way
        g.hub_translations = (getattr(g.get("_flask_babel"), "babel_locale", None), translations)
        return translations


CATALOG_DOMAIN = CatalogDomain()


translate_cli = AppGroup("translate", help="Extract, update and compile the translation catalogs.")


def _pybabel(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), *args], check=True, cwd=ROOT)


#: `pybabel extract` options (tests/test_translations.py extracts with them too). Without --ignore-dirs,
#: pybabel skips every folder whose name starts with "_", and templates/_macros/ with it.
EXTRACT_OPTIONS = ("-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2", "--add-comments", "I18N:",
                   "--ignore-dirs", ".*")


@translate_cli.command("extract")
def extract():
    """Extract messages.pot from code and templates, then update every catalog (no fuzzy guesses)."""
    _pybabel("extract", *EXTRACT_OPTIONS, "--sort-by-file", "--no-wrap", "-o", "translations/messages.pot", ".")
    _pybabel("update", "-N", "--no-wrap", "-i", "translations/messages.pot", "-d", "translations")


@translate_cli.command("init")
@click.argument("lang")
def init(lang):
    """Start a catalog for a new language."""
    _pybabel("init", "-i", "translations/messages.pot", "-d", "translations", "-l", lang)


@translate_cli.command("compile")
def compile_catalogs():
    """Compile every catalog to .mo."""
    _pybabel("compile", "-d", "translations", "--statistics")
