"""Snippets and titles are marked as Whoosh's own fragmenter, scorer and formatter mark them."""

import random
import re

from whoosh.highlight import (FIRST, BasicFragmentScorer, ContextFragmenter, HtmlFormatter, WholeFragmenter,
                              top_fragments)

from hub.search import highlighting
from hub.search.analysis import variants

WORDS = ("éducation des filles école l'école budget <b>budget</b> & niñas educación التعليم والتعليم the of "
         "teachers enseignants, docentes. profesores; financement (financing) x" + " padding" * 12).split()


class _Token:
    __slots__ = ("text", "matched", "startchar", "endchar", "boost")

    def __init__(self, text, matched, startchar, endchar):
        self.text, self.matched, self.startchar, self.endchar, self.boost = text, matched, startchar, endchar, 1.0

    def copy(self):
        return self


def whoosh_tokens(text, words):
    for found in highlighting._WORD.finditer(text):
        forms = variants(found.group().lower())
        if forms:
            matched = next((form for form in forms if form in words), None)
            yield _Token(matched or forms[0], matched is not None, found.start(), found.end())


def whoosh_snippet(text, words, top=2):
    fragments = ContextFragmenter(maxchars=240, surround=60).fragment_tokens(text, whoosh_tokens(text, words))
    return HtmlFormatter(tagname="mark").format(top_fragments(fragments, top, BasicFragmentScorer(), FIRST,
                                                              minscore=1))


def whoosh_title(text, words):
    fragments = top_fragments(WholeFragmenter().fragment_tokens(text, whoosh_tokens(text, words)), 1,
                              BasicFragmentScorer(), FIRST, minscore=0)
    return HtmlFormatter(tagname="mark").format(fragments)


def test_snippets_and_titles_are_whooshs_on_random_texts():
    rng = random.Random(3)
    checked = 0
    for _ in range(400):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 400)))
        words = frozenset(form for word in rng.sample(WORDS, 3) for form in variants(word.lower().strip(",.;()")))
        expected = whoosh_snippet(text, words)
        got = highlighting._passages(text, words, 2)
        assert _plain(got) == _plain(expected), text
        assert _plain(highlighting.title(text[:120], words)) == _plain(whoosh_title(text[:120], words))
        checked += bool(got)
    assert checked > 100


def _plain(html):
    """Whoosh numbers its <mark> classes per term; the hub's marks carry none."""
    return re.sub(r'<mark class="[^"]*">', "<mark>", html)


def test_one_words_object_serves_every_hit_of_a_page():
    rng = random.Random(4)
    words = frozenset(form for word in ("filles", "budget", "التعليم") for form in variants(word))
    shared = highlighting.Words(words)
    for _ in range(100):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 200)))
        assert highlighting.snippet(text, shared) == highlighting.snippet(text, words)
        assert _plain(highlighting.title(text[:80], shared)) == _plain(whoosh_title(text[:80], words))
