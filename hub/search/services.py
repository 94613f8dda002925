"""Run a search for a reader: parse any text safely, filter hits by permission *before* counting
(hub.search.access; the page shown is checked in SQL again), count facets, sort, page, highlight,
and suggest a spelling when little is found."""

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from whoosh import qparser, query

from hub.search import glossary, highlighting, suggestions
from hub.search.access import Access, load_page, permitted
from hub.search.facets import FACETS, count_facets, identity, matches
from hub.search.analysis import WORD, variants
from hub.search.index import IndexUnavailable, forget_searchers, make_schema, searcher
from hub.search.indexing import request_rebuild
from hub.search.kinds import KINDS
from hub.search.ranking import Ranker

log = logging.getLogger(__name__)

MAX_QUERY_CHARS, MAX_QUERY_WORDS = 500, 32
#: A translation counts for less than the word typed, so matches in the reader's own words come first.
TRANSLATION_BOOST = 0.3
SORTS = ("relevance", "date")
PHRASE = re.compile(r'"([^"]*)"')


@dataclass(slots=True)
class Hit:
    kind: str
    object_id: int
    score: float
    #: Stored fields but the text (see ranking.TEXT_FIELDS).
    fields: dict
    docnum: int = 0
    #: The query's indexed forms, for highlighting.
    words: frozenset = frozenset()
    obj: object = None
    link: str | None = None
    title: str = ""
    snippet: str = ""


@dataclass
class SearchPage:
    query: str
    hits: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    counts: dict = field(default_factory=dict)
    suggestion: str | None = None
    corrected: bool = False
    unavailable: bool = False


def clean_query(text: str) -> str:
    """The part of what was typed the engine will use: bounded length, balanced quotes."""
    text = (text or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
    words = text.split()[:MAX_QUERY_WORDS]
    text = " ".join(words)
    return text if text.count('"') % 2 == 0 else " ".join(text.replace('"', " ").split())


def make_parser(schema, every_word: bool = True):
    """Plain words (all of them, or any); no syntax to trip on.

    The "any word" group is a plain OR: documents with every word already rank first (_run).
    """
    group = qparser.AndGroup if every_word else qparser.OrGroup
    parser = qparser.MultifieldParser(["title", "content"], schema, group=group)
    for plugin in (qparser.WildcardPlugin, qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin,
                   qparser.OperatorsPlugin, qparser.EveryPlugin, qparser.GroupPlugin, qparser.SingleQuotePlugin,
                   qparser.PhrasePlugin):
        parser.remove_plugin_class(plugin)
    return parser


def with_translations(parser, chunk: str):
    """One typed word (as the parser sees it), or it or its glossary translations (hub.search.glossary)."""
    own = parser.parse(chunk)
    typed = {text for _, text in own.iter_all_terms()}
    extra = {}
    for word in glossary.translations(chunk):
        if typed.intersection(variants(word)):
            continue  # it shares an indexed form (a stem) with the typed word: already found
        # The word's own indexed form is enough (the glossary lists plurals): one term a field, not five.
        form = glossary.key(word)
        for field in ("title", "content"):
            extra.setdefault((field, form), query.Term(field, form))
    if not extra:
        return own
    translated = query.Or(list(extra.values()), boost=TRANSLATION_BOOST)
    return translated if own is query.NullQuery else query.Or([own, translated])


_SCHEMA = make_schema()


def build_query(schema, text: str, every_word: bool = True, translated: bool = True):
    """Words (each with its translations), and "quoted phrases" matched on the folded words in order
    (stems and translations left aside). Parsed once per text for the hub's own text fields (a query
    depends on the text and their analyzers only; parsing three tiers cost 1–2 ms a search)."""
    if all(schema[name].analyzer == _SCHEMA[name].analyzer for name in ("title", "content")):
        return _parsed(text, every_word, translated)
    return _build(schema, text, every_word, translated)


@lru_cache(maxsize=4096)
def _parsed(text: str, every_word: bool, translated: bool):
    return _build(_SCHEMA, text, every_word, translated)


def _build(schema, text: str, every_word: bool, translated: bool):
    parts, parser = [], make_parser(schema)
    for phrase in PHRASE.findall(text):
        words = [forms[0] for forms in map(variants, re.findall(WORD, phrase.lower())) if forms]
        if len(words) > 1:
            parts.append(query.Or([query.Phrase("title", words, slop=2, boost=3.0),
                                   query.Phrase("content", words, slop=2)]))
        elif words:
            parts.append(parser.parse(words[0]))
    for chunk in PHRASE.sub(" ", text).split():  # the parser, too, reads words between spaces
        if re.search(WORD, chunk):
            parts.append(with_translations(parser, chunk) if translated else parser.parse(chunk))
    parts = [part for part in parts if part is not query.NullQuery]
    if len(parts) > 1:
        return query.And(parts) if every_word else query.Or(parts)
    return parts[0] if parts else query.NullQuery


def _hits(ranker: Ranker, ranked, words: frozenset) -> list[Hit]:
    hits = []
    for docnum, score in ranked:
        fields = ranker.fields(docnum)
        kind_name, object_id, _ = identity(fields)
        if kind_name in KINDS:
            hits.append(Hit(kind_name, object_id, score, fields, docnum, words))
    return hits




#: Matches are checked against the reader's rights this many at a time, stopping at the first batch with any.
CHECK_BATCH = 50


def permitted_matches(s, text: str, access: Access, ranker: Ranker | None = None) -> list[Hit]:
    """Some documents with every word of `text` (as typed, or translated) the reader may see, best
    first; [] when there are none. Cheaper than _run: it stops at the first batch with a permitted one."""
    ranker = ranker or Ranker(s)
    built = build_query(s.schema, text, every_word=True, translated=True)
    ranked = ranker.top(built, current_app.config["SEARCH_MAX_HITS"])
    for start in range(0, len(ranked), CHECK_BATCH):
        if hits := permitted(access, _hits(ranker, ranked[start:start + CHECK_BATCH], frozenset())):
            return hits
    return []


#: The queries a search runs, in order: (every word?, with translations?). Documents with every word
#: as typed come first, then those that need a translation for some word; documents with only some
#: of the words are added when fewer than a page was found.
TIERS = ((True, False), (True, True), (False, True))


def find_hits(s, text: str, keep, limit: int, enough: int, ranker: Ranker | None = None) -> list[Hit]:
    """Up to `limit` documents, tier by tier (TIERS), each tier's best first, filtered by `keep`.
    One Ranker serves every tier, so later tiers reuse the postings the first read. The "every word"
    tiers always both run, so their candidates go through `keep` (the permission queries) together."""
    ranker, hits, candidates, ranked = ranker or Ranker(s), [], [], set()
    translatable = bool(glossary.translations(text))
    for every_word, translated in TIERS:
        if translated and every_word and not translatable:
            continue
        if not every_word:
            hits.extend(keep(candidates))
            candidates = []
            if len(hits) >= min(enough, limit):
                break
        built = build_query(s.schema, text, every_word, translated)
        new = [(docnum, score) for docnum, score in ranker.top(built, limit + len(ranked)) if docnum not in ranked]
        ranked.update(docnum for docnum, _ in new)  # an earlier tier's documents are neither loaded nor filtered again
        candidates.extend(_hits(ranker, new[:limit - len(hits)], highlighting.query_words(built)))
    hits.extend(keep(candidates))
    return hits[:limit]


def _run(s, text: str, access: Access, ranker: Ranker) -> list[Hit]:
    return find_hits(s, text, lambda hits: permitted(access, hits), current_app.config["SEARCH_MAX_HITS"],
                     current_app.config["SEARCH_PER_PAGE"], ranker)


def _find(s, text: str, access: Access, result: SearchPage) -> list[Hit]:
    ranker = Ranker(s)  # one per request: the suggestion's and the corrected search's words reuse its postings
    hits = _run(s, text, access, ranker)
    if len(hits) < 3:
        result.suggestion = suggestions.suggest(
            s, text, access, lambda s, words, access: permitted_matches(s, words, access, ranker))
        if result.suggestion and not hits:
            hits = _run(s, result.suggestion, access, ranker)
            result.corrected = bool(hits)
    return hits


def _decorate(s, hits: list[Hit]) -> None:
    """Highlighted titles and snippets for the page's hits."""
    marks = {}
    for hit in hits:
        stored = s.stored_fields(hit.docnum)
        words = marks.setdefault(hit.words, highlighting.Words(hit.words))
        hit.title = highlighting.title(stored.get("title", ""), words)
        hit.snippet = highlighting.snippet(stored.get("content", ""), words)


def search(text: str, user, filters: dict | None = None, sort: str = "relevance", page: int = 1,
           per_page: int | None = None) -> SearchPage:
    """One page of results the reader may see, with facet counts; never raises on odd input."""
    result = SearchPage(query=clean_query(text), page=max(page, 1))
    if not re.search(WORD, result.query):
        return result
    try:
        _fill(result, user, {k: str(v) for k, v in (filters or {}).items() if k in FACETS and v}, sort,
              per_page or current_app.config["SEARCH_PER_PAGE"])
    except sa.exc.SQLAlchemyError:
        raise  # the database's trouble, not the index's
    except Exception as error:  # a missing or damaged index: say so, and have it rebuilt
        if not isinstance(error, IndexUnavailable):
            log.exception("search failed; the index will be rebuilt")
        forget_searchers()
        request_rebuild()
        result.hits, result.total, result.counts, result.unavailable = [], 0, {}, True
    return result


def _fill(result: SearchPage, user, filters: dict, sort: str, per_page: int) -> None:
    access = Access(user)  # before the searcher: see hub.search.access
    s = searcher()
    hits = _find(s, result.query, access, result)
    while True:
        result.counts = count_facets(hits, filters)
        chosen = [h for h in hits if matches(h, filters)]
        if sort == "date":
            chosen.sort(key=lambda h: h.fields.get("date") or "", reverse=True)
        result.total, result.pages = len(chosen), -(-len(chosen) // per_page)
        start = (result.page - 1) * per_page
        result.hits = chosen[start:start + per_page]
        denied = {id(hit) for hit in load_page(result.hits, user)}
        if not denied:
            break
        # The database is the truth for what is shown: drop them, and count and page again.
        hits = [hit for hit in hits if id(hit) not in denied]
    _decorate(s, result.hits)
