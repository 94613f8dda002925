"""Rank documents for a Whoosh query by reading posting blocks directly (same BM25F scores).

Whoosh's matchers step through postings one method call at a time (id, weight, a field-length
lookup, score: about 3 µs a posting in Python), so a 3–4-word mixed-language query, where each word
is an OR of up to five forms in two fields, took 300–600 ms at 50,000 documents. Here a term's
postings are read a block at a time into a dictionary (document → weight) in C, and scored with
Whoosh's own BM25F formula and statistics only for the documents a query keeps: an AND intersects
document sets first and scores what is left. Term postings are kept per Ranker, so the "any word"
fallback reuses what the "every word" query read. Any other query type (phrases, say) is scored
by Whoosh's own matcher. (Whoosh's own top-N search also skips blocks it wrongly thinks cannot
compete: with limit=10 it missed the best documents of some AND queries.) W3LeafMatcher's block
attributes are read directly: whoosh-reloaded is pinned (==2.7.5); tests/search/test_ranking.py
checks every score and the order against Whoosh's own search.

Every candidate (up to SEARCH_MAX_HITS) needs its key and facet values, and unpickling a document's
stored fields, text included, cost more than ranking it: those few fields are kept per segment.
"""

import heapq
import sys
import threading
import weakref
from array import array
from bisect import bisect_right
from itertools import accumulate

from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F, BM25FScorer

#: Segment id → field → each document's field length (a segment never changes once written).
_lengths: dict[str, dict[str, list]] = {}
#: Searcher → (segment id, field) → K1 × ((1 − B) + B × length / average length) per document.
_norms = weakref.WeakKeyDictionary()
#: Segment id → document number in the segment → its stored fields except TEXT_FIELDS.
_fields: dict[str, dict[int, dict]] = {}
TEXT_FIELDS = frozenset({"title", "content"})
_lock = threading.Lock()


class _Part:
    """One term's postings (document → weight) and how to score them; or, when `norm` is None,
    postings that already hold scores (from Whoosh's matchers)."""

    __slots__ = ("postings", "factor", "norm", "k1_1")

    def __init__(self, postings: dict, factor: float, norm=None, k1_1: float = 0.0):
        self.postings, self.factor, self.norm, self.k1_1 = postings, factor, norm, k1_1

    def boosted(self, boost: float) -> "_Part":
        return self if boost == 1.0 else _Part(self.postings, self.factor * boost, self.norm, self.k1_1)

    def add_to(self, total: dict, every: bool) -> None:
        """Add this part's score to the documents of `total` it matches (`every`: all are there)."""
        factor, norm, k1_1 = self.factor, self.norm, self.k1_1
        if norm is None:
            scores = ((doc, factor * s) for doc, s in self.postings.items())
        else:
            scores = ((doc, factor * ((w * k1_1) / (w + norm[doc]))) for doc, w in self.postings.items())
        if every:
            for doc, score in scores:
                total[doc] += score
        else:
            for doc, score in scores:
                if doc in total:
                    total[doc] += score


class _Match:
    """Documents a query part matches, and the parts whose scores add up to theirs.

    `pure` means every document in any of `parts` is matched (true for terms and ORs of them),
    so an enclosing OR may add the parts as they are; an AND's parts are only valid on its `ids`.
    """

    __slots__ = ("ids", "parts", "pure")

    def __init__(self, ids, parts, pure=True):
        self.ids, self.parts, self.pure = ids, parts, pure

    def scores(self) -> dict[int, float]:
        """Each matched document's score (the cheaper of summing per document or per posting)."""
        ids, parts = self.ids, self.parts
        if len(ids) * len(parts) > sum(len(part.postings) for part in parts):
            total = dict.fromkeys(ids, 0.0)
            for part in parts:
                part.add_to(total, self.pure)
            return total
        total = {}
        for doc in ids:
            score = 0.0
            for part in parts:
                w = part.postings.get(doc)
                if w is not None:
                    score += part.factor * w if part.norm is None else \
                        part.factor * ((w * part.k1_1) / (w + part.norm[doc]))
            total[doc] = score
        return total


_NOTHING = _Match(frozenset(), [])


class Ranker:
    """Ranks queries against one searcher; keeps term postings for its lifetime (one request)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = searcher.leaf_searchers()
        self.weighting = searcher.weighting
        self._terms: dict[tuple, _Part | None] = {}
        self._offsets = [offset for _, offset in self.leaves]
        self._segments = [_segment_id(leaf.reader()) for leaf, _ in self.leaves]
        if set(_fields) - set(self._segments):
            _forget_segments_except(self._segments)

    def top(self, built, limit: int) -> list[tuple[int, float]]:
        """(document number, score) of the best `limit` matches, best first; ties by number."""
        scores = {}
        for position, (leaf, offset) in enumerate(self.leaves):
            found = self._match(built, position, leaf).scores()
            scores.update(((doc + offset, score) for doc, score in found.items()) if offset else found)
        if len(scores) > limit:  # keep those scoring at least the limit-th best (ties included)
            least = heapq.nlargest(limit, scores.values())[-1]
            scores = {doc: score for doc, score in scores.items() if score >= least}
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def fields(self, docnum: int) -> dict:
        """A document's stored fields, except its text (TEXT_FIELDS); kept for its segment's life."""
        position = bisect_right(self._offsets, docnum) - 1
        leaf, offset = self.leaves[position]
        cached = _fields.setdefault(self._segments[position], {})
        found = cached.get(docnum - offset)
        if found is None:
            stored = leaf.stored_fields(docnum - offset)
            found = cached[docnum - offset] = {
                name: sys.intern(value) if isinstance(value, str) else value
                for name, value in stored.items() if name not in TEXT_FIELDS}
        return found

    def _match(self, q, position: int, leaf) -> _Match:
        kind = type(q)
        if kind is query.Term:
            part = self._term(q, position, leaf)
            return _Match(part.postings.keys(), [part.boosted(q.boost)]) if part else _NOTHING
        if kind in (query.Or, query.And) and not getattr(q, "scale", None) and not getattr(q, "minmatch", 0):
            children = [self._match(child, position, leaf) for child in q.subqueries]
            if kind is query.And:
                children.sort(key=lambda m: len(m.ids))
                ids = set(children[0].ids) if children else set()
                for child in children[1:]:
                    ids.intersection_update(child.ids)
                pure = False
            else:  # an AND's parts hold for its own documents only: score it first
                children = [c if c.pure else _Match(c.ids, [_Part(c.scores(), 1.0)]) for c in children]
                ids = set().union(*(c.ids for c in children))
                pure = True
            parts = [part.boosted(q.boost) for child in children for part in child.parts]
            return _Match(ids, parts, pure) if ids else _NOTHING
        if q is query.NullQuery:
            return _NOTHING
        return self._generic(q, leaf)

    def _term(self, q, position: int, leaf) -> _Part | None:
        key = (position, q.fieldname, q.text)
        if key not in self._terms:
            self._terms[key] = self._postings(leaf, q.fieldname, q.text)
        return self._terms[key]

    def _postings(self, leaf, fieldname: str, text) -> _Part | None:
        """One term's postings in one segment, scored as Whoosh's BM25F scorer does."""
        reader = leaf.reader()
        field = leaf.schema[fieldname] if fieldname in leaf.schema else None
        try:
            btext = field.to_bytes(text) if field is not None else None
        except ValueError:
            btext = None
        if btext is None or (fieldname, btext) not in reader:
            return None
        scorer = self.weighting.scorer(leaf, fieldname, btext)
        matcher = reader.postings(fieldname, btext)
        deleted = ()
        if isinstance(matcher, FilterMatcher):  # how a segment with deletions hides them
            matcher, deleted = matcher.child, reader.deleted_docs_set
        if not (isinstance(self.weighting, BM25F) and type(scorer) is BM25FScorer
                and type(matcher) is W3LeafMatcher and not matcher._byteids):
            generic = self._generic(query.Term(fieldname, text), leaf)
            return generic.parts[0] if generic.parts else None
        weights = {}
        while matcher.is_active():  # a block at a time, as W3LeafMatcher stores them
            if matcher._data is None:
                matcher._read_data()
            ids, block_weights = accumulate(matcher._data[0]), matcher._data[1]  # ids are stored as deltas
            if block_weights is None or isinstance(block_weights, float):  # one weight for the whole block
                weights.update(dict.fromkeys(ids, 1.0 if block_weights is None else block_weights))
            else:
                weights.update(zip(ids, block_weights))
            matcher._next_block()
        for doc in deleted:
            weights.pop(doc, None)
        if not weights:
            return None
        return _Part(weights, scorer.idf, self._norm(leaf, fieldname, scorer), scorer.K1 + 1)

    def _norm(self, leaf, fieldname: str, scorer) -> array:
        """K1 × ((1 − B) + B × length / average length) for each document of the segment."""
        reader = leaf.reader()
        segment_id = _segment_id(reader)
        with _lock:
            per_searcher = _norms.setdefault(self.searcher, {})
            norm = per_searcher.get((segment_id, fieldname))
        if norm is None:
            lengths = _lengths.setdefault(segment_id, {}).get(fieldname)
            if lengths is None:
                # None (a document without this field) never meets a posting of it: any number will do.
                lengths = [reader.doc_field_length(d, fieldname, 1) or 1 for d in range(reader.doc_count_all())]
                _lengths[segment_id][fieldname] = lengths
            k1, b, average = scorer.K1, scorer.B, scorer.avgfl
            norm = array("d", [k1 * ((1 - b) + b * length / average) for length in lengths])
            with _lock:
                per_searcher[(segment_id, fieldname)] = norm
        return norm

    def _generic(self, q, leaf) -> _Match:
        """Whoosh's own matcher, stepped through (phrases and anything else)."""
        found, matcher = {}, q.matcher(leaf, leaf.context())
        while matcher.is_active():
            found[matcher.id()] = matcher.score()
            matcher.next()
        return _Match(found.keys(), [_Part(found, 1.0)] if found else [])


def _segment_id(reader) -> str | None:
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None  # None: an empty index


def _forget_segments_except(live_ids) -> None:
    """Drop what is kept for segments no longer in the index (merged away, or another index's)."""
    with _lock:
        for cache in (_lengths, _fields):
            for segment_id in set(cache) - set(live_ids):
                cache.pop(segment_id, None)
