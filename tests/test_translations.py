"""Every interface string is translated in fr, es, pt and ar: the catalog is extracted fresh."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from hub.i18n import EXTRACT_OPTIONS

ROOT = Path(__file__).resolve().parent.parent
PYBABEL = str(Path(sys.executable).with_name("pybabel"))
LANGUAGES = ["fr", "es", "pt", "ar"]


@pytest.fixture(scope="module")
def fresh_catalogs(tmp_path_factory):
    """Extract from the code now and merge into copies of the catalogs (no fuzzy guessing)."""
    work = tmp_path_factory.mktemp("i18n")
    shutil.copytree(ROOT / "translations", work / "translations")
    subprocess.run([PYBABEL, "extract", *EXTRACT_OPTIONS, "-o", str(work / "messages.pot"), "."],
                   check=True, cwd=ROOT, capture_output=True)
    subprocess.run([PYBABEL, "update", "-N", "-i", str(work / "messages.pot"), "-d", str(work / "translations")],
                   check=True, capture_output=True)
    return work / "translations"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete(fresh_catalogs, lang):
    with open(fresh_catalogs / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    missing, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy.append(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or len(strings) != (catalog.num_plurals if message.pluralizable else 1):
            missing.append(message.id)
    broken = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert not broken, f"placeholders that do not match in {lang}: {broken[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {lang}: {fuzzy[:5]}"
    assert not missing, f"{len(missing)} untranslated in {lang}: {missing[:5]}"


def test_arabic_has_six_plural_forms(fresh_catalogs):
    with open(fresh_catalogs / "ar" / "LC_MESSAGES" / "messages.po", "rb") as f:
        assert read_po(f, locale="ar").num_plurals == 6
