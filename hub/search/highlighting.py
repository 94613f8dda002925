"""Highlighted titles and snippets for the hits shown on one page (never for the others).

Words are found as the index's analyzer finds them, but as one token each, marked when any of its
forms (hub.search.analysis.variants) is one the query looks for. Passages are chosen as Whoosh's
ContextFragmenter and BasicFragmentScorer choose them (tests/search/test_highlighting.py compares
the two), on plain tuples: Whoosh's token objects and generators made highlighting a page of 20
cost as much as ranking its candidates. A long text is read in stretches of SNIPPET_SCAN
characters, the next one only while none has a match yet.
"""

import re
from collections import deque
from html import escape

from hub.search.analysis import WORD, variants

#: Characters read at a time when looking for the words of a snippet.
SNIPPET_SCAN = 4000
#: A passage's longest run of word characters, and the context kept around its matches (Whoosh's names).
MAXCHARS, SURROUND = 240, 60
BETWEEN = "..."
_WORD = re.compile(WORD)


def query_words(built) -> frozenset:
    """The indexed forms a query looks for, in any field (what a highlight marks)."""
    return frozenset(text.decode() if isinstance(text, bytes) else text for _, text in built.iter_all_terms())


def title(text: str, words: frozenset) -> str:
    """The whole title, with the matched words marked (escaped HTML)."""
    return _format(text, 0, len(text), [(start, end) for start, end, form in _tokens(text, words) if form])


def snippet(text: str, words: frozenset, top: int = 2) -> str:
    """Up to `top` passages around matched words, marked (escaped HTML); '' when none matches."""
    start = 0
    while start < len(text):
        end = text.find(" ", start + SNIPPET_SCAN)  # a stretch ends at a space: no word is cut
        end = len(text) if end < 0 else end
        found = _passages(text[start:end], words, top)
        if found:
            return found
        start = end
    return ""


def _passages(text: str, words: frozenset, top: int) -> str:
    tokens = _tokens(text, words)
    if not any(form for _, _, form in tokens):
        return ""
    # BasicFragmentScorer: matches × 100 × distinct forms matched; equal scores favour the later passage.
    scored = sorted(((len(marks) * 100 * len(forms), first, end, marks) for first, end, marks, forms in
                     _fragments(tokens)), reverse=True)[:top]
    return BETWEEN.join(_format(text, first, end, marks) for _, first, end, marks in sorted(scored, key=lambda f: f[1]))


def _tokens(text: str, words: frozenset) -> list[tuple[int, int, str | None]]:
    """(start, end, matched form or None) of each indexed word of `text` (stop words are not indexed)."""
    known = {}
    for word in set(_WORD.findall(text)):  # each distinct word once
        forms = variants(word.lower())
        known[word] = (None if words.isdisjoint(forms) else next(f for f in forms if f in words)) if forms else 0
    if not any(known.values()):
        return []
    return [(match.start(), match.end(), form) for match in _WORD.finditer(text)
            if (form := known[match.group()]) != 0]


def _fragments(tokens):
    """Whoosh's ContextFragmenter(maxchars=MAXCHARS, surround=SURROUND), on (start, end, form) tuples:
    (first char, end char, matched spans, matched forms) of each passage with a match."""
    first, firsts, countdown, marks, forms, length, end = None, deque(), -1, [], set(), 0, None
    for start, end, form in tokens:
        size = end - start
        if countdown < 0 and form is None:
            firsts.append(start)
            while firsts and end - firsts[0] > SURROUND:
                firsts.popleft()
        elif length + size > MAXCHARS:
            countdown = 0
        elif form is not None:
            countdown = SURROUND
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += SURROUND
            marks.append((start, end))
            forms.add(form)
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                if marks:
                    yield first, end, marks, forms
                first, firsts, marks, forms, length = None, deque(), [], set(), 0
    if marks:
        yield first, end, marks, forms


def _format(text: str, first: int, end: int, marks) -> str:
    """text[first:end] escaped, with each matched span in <mark>."""
    output, index = [], first
    for start, stop in marks:
        output.append(escape(text[index:start], quote=False))
        output.append(f"<mark>{escape(text[start:stop], quote=False)}</mark>")
        index = stop
    output.append(escape(text[index:end], quote=False))
    return "".join(output)
