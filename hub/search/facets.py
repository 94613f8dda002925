"""Facet values of a search's candidates, kept with their cached stored fields, and their counts."""

from collections import Counter
from functools import lru_cache
from itertools import chain

#: Filters offered on the results page, by query-string name → stored field.
FACETS = {"kind": "kind", "language": "languages", "community": "community", "theme": "themes",
          "region": "region", "year": "year"}


def identity(fields: dict) -> tuple:
    """(kind, object id, facet values) of a document, kept in its cached stored fields (Ranker.fields)."""
    found = fields.get("identity")
    if found is None:
        kind_name, _, object_id = fields["key"].partition(":")
        values = tuple(_split(fields.get(name) or "") if facet in MULTI_VALUED else
                       ((fields.get(name),) if fields.get(name) else ()) for facet, name in FACETS.items())
        found = fields["identity"] = (kind_name, int(object_id) if object_id.isdigit() else 0, values)
    return found


#: Facets whose stored value is a comma-separated list.
MULTI_VALUED = ("language", "theme", "region")


@lru_cache(maxsize=4096)
def _split(raw: str) -> tuple[str, ...]:
    return tuple(value for value in raw.split(",") if value)


_POSITION = {facet: n for n, facet in enumerate(FACETS)}


def _values(hit, facet: str) -> tuple[str, ...]:
    return identity(hit.fields)[2][_POSITION[facet]]


def matches(hit, filters: dict, skip: str | None = None) -> bool:
    return all(value in _values(hit, facet) for facet, value in filters.items() if facet != skip)


def count_facets(hits: list, filters: dict) -> dict[str, Counter]:
    """Per facet, how many permitted hits each value has, given the other chosen filters.

    A hit matching every filter counts in every facet; one missing exactly one filter counts only
    in that filter's facet (choosing another value there would bring it in); others count nowhere.
    """
    if not filters:  # every hit counts in every facet
        values = [identity(hit.fields)[2] for hit in hits]
        return {facet: Counter(chain.from_iterable(v[n] for v in values)) for n, facet in enumerate(FACETS)}
    counts = {facet: Counter() for facet in FACETS}
    for hit in hits:
        values = dict(zip(FACETS, identity(hit.fields)[2]))
        missed = [facet for facet, value in filters.items() if value not in values.get(facet, ())]
        if len(missed) > 1:
            continue
        for facet in missed or FACETS:
            counter = counts[facet]
            for value in values[facet]:
                counter[value] += 1
    return counts
