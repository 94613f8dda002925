"""Run a search for a reader: parse any text safely, filter hits by permission in SQL *before*
counting, count facets, sort, page, highlight, and suggest a spelling when little is found."""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from markupsafe import escape
from whoosh import qparser, query
from whoosh.highlight import HtmlFormatter, WholeFragmenter, highlight
from whoosh.spelling import MultiCorrector

from hub.extensions import db
from hub.search.analysis import WORD, hub_analyzer, variants
from hub.search.index import IndexUnavailable, forget_searchers, searcher
from hub.search.indexing import request_rebuild
from hub.search.kinds import KINDS

log = logging.getLogger(__name__)

#: Filters offered on the results page, by query-string name → stored field.
FACETS = {"kind": "kind", "language": "languages", "community": "community", "theme": "themes",
          "region": "region", "year": "year"}
MAX_QUERY_CHARS, MAX_QUERY_WORDS = 500, 32
SORTS = ("relevance", "date")
PHRASE = re.compile(r'"([^"]*)"')


class MarkFormatter(HtmlFormatter):
    """Matched words in <mark>, without Whoosh's class names; the text around them is escaped."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark")


@dataclass
class Hit:
    kind: str
    object_id: int
    score: float
    fields: dict
    whoosh_hit: object = None
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
    return text if text.count('"') % 2 == 0 else text.replace('"', " ")


def make_parser(schema, every_word: bool = True):
    """Plain words (all of them, or any); no syntax to trip on.

    The "any word" group is a plain OR: Whoosh's coordination bonus wrapped the matcher and scored
    matches one by one (about twice as slow); documents with every word already rank first (_run).
    """
    group = qparser.AndGroup if every_word else qparser.OrGroup
    parser = qparser.MultifieldParser(["title", "content"], schema, group=group)
    for plugin in (qparser.WildcardPlugin, qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin,
                   qparser.OperatorsPlugin, qparser.EveryPlugin, qparser.GroupPlugin, qparser.SingleQuotePlugin,
                   qparser.PhrasePlugin):
        parser.remove_plugin_class(plugin)
    return parser


def build_query(schema, text: str, every_word: bool = True):
    """Words, and "quoted phrases" matched on the folded words in order (stems left aside)."""
    parts = []
    for phrase in PHRASE.findall(text):
        words = [forms[0] for forms in map(variants, re.findall(WORD, phrase.lower())) if forms]
        if len(words) > 1:
            parts.append(query.Or([query.Phrase("title", words, slop=2, boost=3.0),
                                   query.Phrase("content", words, slop=2)]))
        elif words:
            parts.append(make_parser(schema).parse(words[0]))
    rest = PHRASE.sub(" ", text)
    if re.search(WORD, rest):
        parts.append(make_parser(schema, every_word).parse(rest))
    if len(parts) > 1:
        return preload_unions(query.And(parts) if every_word else query.Or(parts))
    return preload_unions(parts[0]) if parts else query.NullQuery


def preload_unions(built):
    """Have every OR read its postings into arrays at once (same scores, about twice as fast here).

    Each word is an OR of its folded form and stems in two fields; Whoosh's default for large
    segments, a tree of union matchers stepped in Python, made intersecting them the slowest part.
    """
    if isinstance(built, query.Or):
        built.matcher_type = query.Or.ARRAY_MATCHER
    for child in built.children():
        preload_unions(child)
    return built


def visible_ids(user, kind_name: str, ids) -> set[int]:
    """Which of these ids of one kind the reader may see now (SQL, current memberships)."""
    kind = KINDS[kind_name]
    return set(db.session.scalars(sa.select(kind.model.id).where(kind.model.id.in_(list(ids)), kind.visible(user))))


def _permitted(user, results) -> list[Hit]:
    hits = []
    for hit in results:
        kind_name, _, object_id = hit["key"].partition(":")
        if kind_name in KINDS:
            hits.append(Hit(kind_name, int(object_id), hit.score, hit.fields(), hit))
    allowed = set()
    for kind_name in {h.kind for h in hits}:
        ids = [h.object_id for h in hits if h.kind == kind_name]
        allowed |= {(kind_name, object_id) for object_id in visible_ids(user, kind_name, ids)}
    return [h for h in hits if (h.kind, h.object_id) in allowed]


#: Facets whose stored value is a comma-separated list.
MULTI_VALUED = ("language", "theme", "region")


def _values(hit: Hit, facet: str) -> list[str]:
    raw = hit.fields.get(FACETS[facet]) or ""
    if facet in MULTI_VALUED:
        return [value for value in raw.split(",") if value]
    return [raw] if raw else []


def _matches(hit: Hit, filters: dict, skip: str | None = None) -> bool:
    return all(value in _values(hit, facet) for facet, value in filters.items() if facet != skip)


def count_facets(hits: list[Hit], filters: dict) -> dict[str, Counter]:
    """Per facet, how many permitted hits each value has, given the other chosen filters."""
    counts = {}
    for facet in FACETS:
        counter = Counter()
        for hit in hits:
            if _matches(hit, filters, skip=facet):
                counter.update(_values(hit, facet))
        counts[facet] = counter
    return counts


class FieldsCorrector(MultiCorrector):
    """Whoosh's MultiCorrector, with its (word, score) pairs turned the right way round."""

    def _suggestions(self, text, maxdist, prefix):
        return ((score, word) for word, score in super()._suggestions(text, maxdist, prefix))


def suggest(s, text: str) -> str | None:
    """The query with unknown words replaced by the closest indexed word, or None."""
    reader, changed, words = s.reader(), False, []
    corrector = FieldsCorrector([s.corrector("title"), s.corrector("content")], op=max)
    for word in re.findall(WORD, text.lower()):
        forms = variants(word)
        if not forms or len(forms[0]) < 4 or any(reader.doc_frequency(f, forms[0]) for f in ("title", "content")):
            words.append(word)
            continue
        found = corrector.suggest(forms[0], limit=1, maxdist=2, prefix=1)
        changed |= bool(found)
        words.append(found[0] if found else word)
    return " ".join(words) if changed else None


def _run(s, text: str, user) -> list[Hit]:
    """Documents with every word first; when they are few, then documents with any of them."""
    hits = _run_query(s, build_query(s.schema, text), user)
    if len(hits) >= current_app.config["SEARCH_PER_PAGE"]:
        return hits
    seen = {(hit.kind, hit.object_id) for hit in hits}
    more = _run_query(s, build_query(s.schema, text, every_word=False), user)
    return hits + [hit for hit in more if (hit.kind, hit.object_id) not in seen]


def _run_query(s, built, user) -> list[Hit]:
    # terms=False: recording each hit's matched terms slows collecting; highlights use the query's terms.
    results = s.search(built, limit=current_app.config["SEARCH_MAX_HITS"], terms=False)
    results.formatter = MarkFormatter()
    results.fragmenter.maxchars, results.fragmenter.surround = 240, 60
    return _permitted(user, results)


def _find(text: str, user, result: SearchPage) -> list[Hit]:
    s = searcher()
    hits = _run(s, text, user)
    if len(hits) < 3:
        result.suggestion = suggest(s, text)
        if result.suggestion and not hits:
            hits = _run(s, result.suggestion, user)
            result.corrected = bool(hits)
    return hits


def query_words(built) -> frozenset:
    """The indexed forms a query looks for, in any field (what a title highlight marks)."""
    return frozenset(text.decode() if isinstance(text, bytes) else text for _, text in built.iter_all_terms())


def _decorate(hits: list[Hit]) -> None:
    """Load the page's objects (fresh titles and links) and make highlighted snippets."""
    for kind_name in {h.kind for h in hits}:
        kind = KINDS[kind_name]
        ids = [h.object_id for h in hits if h.kind == kind_name]
        objects = {o.id: o for o in db.session.scalars(sa.select(kind.model).where(kind.model.id.in_(ids)))}
        for hit in hits:
            if hit.kind == kind_name:
                hit.obj = objects.get(hit.object_id)
                hit.link = kind.link(hit.obj) if hit.obj is not None else None
    for hit in hits:
        title = hit.fields.get("title", "")
        terms = query_words(hit.whoosh_hit.results.q)
        hit.title = highlight(title, terms, hub_analyzer(), WholeFragmenter(), MarkFormatter(), top=1,
                              minscore=0) or escape(title)
        hit.snippet = hit.whoosh_hit.highlights("content", top=2)


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
    hits = _find(result.query, user, result)
    result.counts = count_facets(hits, filters)
    chosen = [h for h in hits if _matches(h, filters)]
    if sort == "date":
        chosen.sort(key=lambda h: h.fields.get("date") or "", reverse=True)
    result.total, result.pages = len(chosen), -(-len(chosen) // per_page)
    start = (result.page - 1) * per_page
    result.hits = chosen[start:start + per_page]
    _decorate(result.hits)
