"""'Did you mean': a correction drawn only from what the reader may see.

Each typed word that finds nothing the reader may see is replaced by the closest indexed word that
does — fewest edits first, then the most frequent — written as in the text, never as a stem.
"""

import re
from collections import Counter

from hub.search.analysis import WORD, variants

#: A correction is looked for within this many edits, among this many closest indexed forms per word.
MAX_EDITS, MAX_CANDIDATES = 2, 8


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of two neighbours turning a into b."""
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]


def _candidates(s, form: str) -> list[str]:
    """Indexed forms within MAX_EDITS of the typed one: fewest edits first, then the most documents.

    The index holds stems and private text too: a candidate is only offered through written_form(),
    from a document the reader may see."""
    reader, found = s.reader(), Counter()
    for name in ("title", "content"):
        for term in reader.terms_within(name, form, MAX_EDITS, prefix=1):
            if term != form:
                found[term] += reader.doc_frequency(name, term)
    return sorted(found, key=lambda term: (edit_distance(form, term), -found[term], term))[:MAX_CANDIDATES]


def written_form(s, hits, form: str) -> str | None:
    """The word whose folded form is `form`, as written in one of these (permitted) hits; None when
    only a stem is indexed as `form` (people never see stems)."""
    for hit in hits:
        stored = s.stored_fields(hit.docnum)
        for text in (stored.get("title", ""), stored.get("content", "")):
            for word in re.findall(WORD, text.lower()):
                forms = variants(word)
                if forms and forms[0] == form:
                    return word
    return None


def suggest(s, text: str, user, matches) -> str | None:
    """The query with each word that finds nothing the reader may see replaced by the closest word
    (fewest edits, then most frequent) that does, as people write it; None when nothing is better.

    Derived from the reader's own results only (see hub.permissions): a word of a private community,
    a pending, hidden or deleted post is never offered to someone who may not read it. `matches(s, text,
    user)` gives some permitted hits with every word of the text (services.permitted_matches)."""
    changed, words = False, []
    for word in re.findall(WORD, text.lower()):
        forms = variants(word)
        if not forms or len(forms[0]) < 4 or matches(s, word, user):
            words.append(word)  # matched as typed after analysis (stems, Arabic prefixes): nothing to correct
            continue
        better = None
        for candidate in _candidates(s, forms[0]):
            if (hits := matches(s, candidate, user)) and (better := written_form(s, hits, candidate)):
                break
        changed |= better is not None
        words.append(better or word)
    suggestion = " ".join(words) if changed else None
    return suggestion if suggestion and matches(s, suggestion, user) else None
