"""Relevance measured on the labelled multilingual set: recall@5 and MRR must not fall."""

from hub.search import services
from tests.search import corpus

#: Reached on this corpus when the set was recorded; raise them when the engine improves.
MIN_RECALL_AT_5 = 0.99
MIN_MRR = 0.99


def evaluate(reader, objects, top=10):
    """Per query: (query, expected refs, ranked refs); plus mean recall@5 and MRR."""
    by_key = {corpus.key_of(obj): ref for ref, obj in objects.items() if ref != "author"}
    rows, recall, reciprocal = [], 0.0, 0.0
    for query, expected in corpus.QUERIES:
        found = services.search(query, reader, per_page=top)
        ranked = [by_key.get(f"{hit.kind}:{hit.object_id}", "?") for hit in found.hits]
        wanted = set(expected)
        recall += len(wanted & set(ranked[:5])) / min(len(wanted), 5)
        rank = next((i for i, ref in enumerate(ranked, 1) if ref in wanted), None)
        reciprocal += 1 / rank if rank else 0.0
        rows.append((query, expected, ranked))
    return rows, recall / len(corpus.QUERIES), reciprocal / len(corpus.QUERIES)


def test_labelled_queries_reach_recorded_quality(app, create_user):
    objects = corpus.build()
    reader = create_user(email="reader@example.org")
    with app.test_request_context():
        rows, recall, mrr = evaluate(reader, objects)
    misses = [(q, e, r[:5]) for q, e, r in rows if not set(e) & set(r[:5])]
    print(f"\nrecall@5={recall:.3f} MRR={mrr:.3f} over {len(rows)} queries; misses: {misses}")
    assert len(corpus.QUERIES) >= 40
    assert recall >= MIN_RECALL_AT_5, misses
    assert mrr >= MIN_MRR, misses


def test_labelled_suggestions(app, create_user):
    corpus.build()
    reader = create_user(email="reader@example.org")
    with app.test_request_context():
        got = [(query, services.search(query, reader).suggestion) for query, _ in corpus.SUGGESTIONS]
    assert got == corpus.SUGGESTIONS
