"""Highlighted titles and snippets for the hits shown on one page (never for the others).

Words are found as the index's analyzer finds them, but as one token each, marked when any of its
forms (hub.search.analysis.variants) is one the query looks for: the analyzer's stream, with up to
five tokens a word, made highlighting a third of a query's time. A long text is read in stretches
of SNIPPET_SCAN characters, the next one only while none has a match yet.
"""

import re

from markupsafe import escape
from whoosh.highlight import FIRST, BasicFragmentScorer, ContextFragmenter, HtmlFormatter, WholeFragmenter, top_fragments

from hub.search.analysis import WORD, variants

#: Characters read at a time when looking for the words of a snippet.
SNIPPET_SCAN = 4000
_WORD = re.compile(WORD)


class MarkFormatter(HtmlFormatter):
    """Matched words in <mark>, without Whoosh's class names; the text around them is escaped."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark")


_formatter = MarkFormatter()
_scorer = BasicFragmentScorer()


def query_words(built) -> frozenset:
    """The indexed forms a query looks for, in any field (what a highlight marks)."""
    return frozenset(text.decode() if isinstance(text, bytes) else text for _, text in built.iter_all_terms())


def title(text: str, words: frozenset) -> str:
    """The whole title, with the matched words marked (escaped HTML)."""
    fragments = top_fragments(WholeFragmenter().fragment_tokens(text, _tokens(text, words)), 1, _scorer, FIRST,
                              minscore=0)
    return _formatter.format(fragments) or str(escape(text))


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
    fragmenter = ContextFragmenter(maxchars=240, surround=60)
    fragments = top_fragments(fragmenter.fragment_tokens(text, _tokens(text, words)), top, _scorer, FIRST, minscore=1)
    return _formatter.format(fragments)


class _Word:
    """What Whoosh's fragmenters read of a token."""

    __slots__ = ("text", "matched", "startchar", "endchar", "boost")

    def __init__(self, text, matched, startchar, endchar):
        self.text, self.matched, self.startchar, self.endchar, self.boost = text, matched, startchar, endchar, 1.0

    def copy(self):
        return self


def _tokens(text: str, words: frozenset):
    """One token per indexed word of `text`; `matched` when one of its forms is in `words`."""
    for found in _WORD.finditer(text):
        forms = variants(found.group().lower())
        if not forms:
            continue  # a stop word: not indexed, never marked
        if words.isdisjoint(forms):
            yield _Word(forms[0], False, found.start(), found.end())
        else:
            yield _Word(next(form for form in forms if form in words), True, found.start(), found.end())

