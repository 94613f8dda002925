"""Property-based tests (Hypothesis) for the pure functions that read what people type: they never raise
on any text, and normalising twice is normalising once."""

import json
import re
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.inputs import clean_json, clean_text
from hub.library.text import CaptionError, caption_text, to_vtt
from hub.markdown import mentioned_handles, render
from hub.notifications.digest import zone
from hub.search.analysis import fold, normalise_arabic, stem_arabic
from hub.search.services import MAX_QUERY_CHARS, clean_query
from hub.slugs import slugify
from hub.spreadsheets import FORMULA_STARTS, safe_cell

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Any text, with the characters that broke things before made likely: NUL, lone surrogates, RTL marks,
#: Arabic letters and marks, quotes, Markdown and HTML syntax.
TRICKY = st.sampled_from(["\x00", "\ud800", "\udfff", "\u202e", "\u200f", "ال", "ةً", "ـ", '"', "<", ">", "&",
                          "[", "](", "javascript:", "*", "`", "#", "\n", "\r", "=", "@", "-->", ",", "."])
TEXT = st.lists(st.one_of(st.text(max_size=20), TRICKY), max_size=20).map("".join)
ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=15)


@FAST
@given(TEXT)
def test_clean_text_leaves_no_nul_nor_lone_surrogate_and_is_idempotent(text):
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # PostgreSQL and SQLite accept it
    assert "\x00" not in cleaned and clean_text(cleaned) == cleaned


@FAST
@given(st.recursive(st.one_of(TEXT, st.integers(), st.none()),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                    max_leaves=10))
def test_clean_json_reaches_every_string(value):
    cleaned = clean_json(value)
    assert clean_json(cleaned) == cleaned
    json.dumps(cleaned, ensure_ascii=False).encode("utf-8")  # no lone surrogate anywhere


@FAST
@given(TEXT)
def test_query_cleaning_is_bounded_balanced_and_idempotent(text):
    cleaned = clean_query(text)
    assert len(cleaned) <= MAX_QUERY_CHARS and cleaned.count('"') % 2 == 0 and "\x00" not in cleaned
    assert clean_query(cleaned) == cleaned


@FAST
@given(TEXT, st.integers(min_value=1, max_value=120))
def test_slugs_are_ascii_bounded_and_idempotent(text, length):
    slug = slugify(text, length)
    assert slug.isascii() and len(slug) <= length and not slug.startswith("-") and not slug.endswith("-")
    assert slugify(slug, length) == slug


@FAST
@given(TEXT)
def test_markdown_never_lets_script_through(text):
    html = render(text, mention_url=lambda handle: f"/people/{len(handle)}")
    lowered = html.lower()
    assert "<script" not in lowered and not re.search(r"<[^>]*\son\w+\s*=", lowered)
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", lowered)
    mentioned_handles(text)


@FAST
@given(TEXT)
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@FAST
@given(ARABIC)
def test_arabic_normalisation_is_idempotent_and_stems_never_grow(word):
    normal = normalise_arabic(word)
    assert normalise_arabic(normal) == normal
    stem = stem_arabic(normal)
    assert len(stem) <= len(normal) and (len(stem) >= 3 or stem == normal)


CUE = st.tuples(st.integers(0, 5000), st.integers(0, 5000), TEXT)


def srt(cues) -> str:
    def stamp(ms):
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
    return "\n\n".join(f"{n}\n{stamp(min(a, b))} --> {stamp(max(a, b))}\n{text}"
                       for n, (a, b, text) in enumerate(cues, 1))


@FAST
@given(st.one_of(st.lists(CUE, max_size=5).map(srt), TEXT))
def test_srt_to_webvtt_answers_a_document_or_a_reason(source):
    try:
        vtt = to_vtt(source.encode("utf-8", "surrogatepass"))
    except CaptionError as error:
        assert str(error)
        return
    assert vtt.startswith("WEBVTT")
    assert to_vtt(vtt.encode()) == vtt  # converting the result again changes nothing
    caption_text(vtt)


@FAST
@given(st.one_of(TEXT, st.integers(), st.none()))
def test_spreadsheet_cells_never_start_a_formula(value):
    escaped = safe_cell(value)
    assert not (isinstance(escaped, str) and escaped.startswith(FORMULA_STARTS))
    assert escaped == value or escaped == "'" + value


@FAST
@given(st.one_of(TEXT, st.sampled_from(["Europe/Paris", "Africa/Nairobi", "../../etc/passwd", "", None])))
def test_any_stored_time_zone_gives_a_zone(name):
    assert zone(SimpleNamespace(timezone=name)) is not None
