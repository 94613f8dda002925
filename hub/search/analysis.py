"""Analyzers the index pickles into its schema: keep them in this importable module.

One token stream serves every language: each word is emitted, at the same position, accent- and
case-folded together with its stem in English, French, Spanish and Portuguese (stem first, then
fold: the Portuguese stemmer needs the accents), so `education` meets `éducation`, `educación`
and `educação`. Arabic words are normalised (alef and hamza forms, ta marbuta, alef maqsura,
tatweel, diacritics) and lightly stemmed (prefixes ال/و/ب/ل/ك, suffixes ات/ون/ين/ها/ة …).
"""

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.formats import Positions

#: Snowball stemmers in C (PyStemmer): ten times faster than Whoosh's pure-Python ones.
STEM_LANGUAGES = {"en": "english", "fr": "french", "es": "spanish", "pt": "portuguese"}
_STEMMERS = {code: Stemmer.Stemmer(name).stemWord for code, name in STEM_LANGUAGES.items()}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})

#: Words too common to help, in the hub's five languages (folded).
STOP_WORDS = frozenset("""
a an and are as at be by for from has have in into is it its of on or that the this to was were with
au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne par pas pour qu que qui
sa se ses son sur un une y al como con del el ella ellos entre es esta este las lo los mas o para
pero por se sin su sus un una unos ao aos as com da das do dos e em na nas no nos os ou pela pelo
um uma
""".split()) | frozenset("في من على الى عن مع هذا هذه ذلك التي الذي او ثم كان".split())

_ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي",
                             "ة": "ه", "ى": "ي"})
#: Longest first; a prefix or suffix is only removed when at least three letters remain.
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ك", "ف")
_ARABIC_SUFFIXES = ("هما", "ات", "ان", "ون", "ين", "ها", "هم", "يه", "ه", "ي")


def fold(text: str) -> str:
    """Lower case without accents: 'Éducation' → 'education', 'niñas' → 'ninas'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_arabic(word: str) -> str:
    """Arabic spelling variants made equal: marks and tatweel removed, letter forms unified."""
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_MAP)


def stem_arabic(word: str) -> str:
    """A light stem of a normalised Arabic word: one prefix and one suffix removed at most."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)]
            break
    return word


def is_arabic(word: str) -> bool:
    """Whether the word is written in Arabic letters (normalised and stemmed the Arabic way)."""
    return _ARABIC_LETTERS.search(word) is not None


@lru_cache(maxsize=200_000)
def variants(word: str) -> tuple[str, ...]:
    """The forms indexed for one lower-cased word: the folded word first, then its stems."""
    if is_arabic(word):
        normal = normalise_arabic(word)
        return tuple(dict.fromkeys(form for form in (normal, stem_arabic(normal)) if form))
    folded = fold(word)
    if folded in STOP_WORDS:
        return ()
    forms = [folded]
    if len(folded) > 3 and not any(char.isdigit() for char in folded):
        for stem in _STEMMERS.values():
            forms.append(fold(stem(word)))
    return tuple(dict.fromkeys(form for form in forms if form))


class MultilingualFilter(Filter):
    """Emits each word's folded form and its stems at the same position (see module docstring)."""

    is_morph = True

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for token in tokens:
            forms = variants(token.text)
            if not forms:
                continue
            for form in forms:
                token.text = form
                yield token


#: Word characters plus combining marks, so a diacritic never splits a word in two.
WORD = r"[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+"


def hub_analyzer():
    """The analyzer of every text field: words, lower case, then MultilingualFilter."""
    return RegexTokenizer(WORD) | LowercaseFilter() | MultilingualFilter()


_HUB_ANALYZER = hub_analyzer()
_WORDS = re.compile(WORD)


class HubPositions(Positions):
    """Whoosh's Positions format; for a field analysed by hub_analyzer(), the same postings made
    without a token object per form (a word's forms share its position; stop words keep theirs):
    analysis was a quarter of indexing time."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str) or analyzer != _HUB_ANALYZER:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        positions = defaultdict(list)
        for position, word in enumerate(_WORDS.findall(value)):
            for form in variants(word.lower()):
                positions[form].append(position)
        boost = self.field_boost
        for form, found in positions.items():
            yield form, len(found), len(found) * boost, self.encode(found)
