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


class Words:
    """What a query's forms make of the words written in texts, each written word looked at once
    for all the texts of a page (most words recur from one hit to the next)."""

    def __init__(self, words: frozenset):
        self.words, self.seen, self.matched, self.stop = words, set(), {}, set()

    def learn(self, written: set) -> None:
        for word in written - self.seen:
            forms = variants(word.lower())
            if not forms:
                self.stop.add(word)
            elif not self.words.isdisjoint(forms):
                self.matched[word] = next(form for form in forms if form in self.words)
        self.seen |= written


def _words(words) -> Words:
    return words if isinstance(words, Words) else Words(words)


def title(text: str, words) -> str:
    """The whole title, with the matched words marked (escaped HTML); `words`: a query's forms, or Words."""
    return _format(text, 0, len(text), [(start, end) for start, end, form in _tokens(text, _words(words)) if form])


def snippet(text: str, words, top: int = 2) -> str:
    """Up to `top` passages around matched words, marked (escaped HTML); '' when none matches."""
    start, words = 0, _words(words)
    while start < len(text):
        end = text.find(" ", start + SNIPPET_SCAN)  # a stretch ends at a space: no word is cut
        end = len(text) if end < 0 else end
        found = _passages(text[start:end], words, top)
        if found:
            return found
        start = end
    return ""


def _passages(text: str, words, top: int) -> str:
    tokens = _tokens(text, _words(words))
    if not any(form for _, _, form in tokens):
        return ""
    # BasicFragmentScorer: matches × 100 × distinct forms matched; equal scores favour the later passage.
    scored = sorted(((len(marks) * 100 * len(forms), first, end, marks) for first, end, marks, forms in
                     _fragments(tokens)), reverse=True)[:top]
    return BETWEEN.join(_format(text, first, end, marks) for _, first, end, marks in sorted(scored, key=lambda f: f[1]))


def _tokens(text: str, words: Words) -> list[tuple[int, int, str | None]]:
    """(start, end, matched form or None) of each indexed word of `text` (stop words are not indexed)."""
    written = set(_WORD.findall(text))
    words.learn(written)
    if written.isdisjoint(words.matched):
        return []
    matched, stop = words.matched, words.stop
    return [(match.start(), match.end(), matched.get(word)) for match in _WORD.finditer(text)
            if (word := match.group()) not in stop]


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
