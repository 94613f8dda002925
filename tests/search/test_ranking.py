"""The hub's Ranker scores and orders exactly as Whoosh's own (unoptimised) search does."""

import random

import pytest
from whoosh import index as whoosh_index

from hub.search.codec import HubCodec
from hub.search.index import make_schema
from hub.search.ranking import Ranker
from hub.search.services import build_query

WORDS = ("éducation education educación educação filles girls niñas meninas école school escuela escola "
         "budget presupuesto orçamento enseignants teachers docentes professores التعليم الفتيات المدرسة").split()
QUERIES = ["education", "éducation des filles", "educación niñas escuela", "teachers budget التعليم",
           '"girls school" education', "école", "nothingmatches", "c++ e-learning"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """Three segments, some documents replaced (so deleted in their segment), written by HubCodec."""
    rng = random.Random(5)
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("ranking")), make_schema())
    for batch in range(3):
        writer = ix.writer(codec=HubCodec())
        for n in range(batch * 150, batch * 150 + 200):  # the first 50 of each batch replace earlier ones
            writer.update_document(key=f"organisation:{n}", kind="organisation",
                                   title=" ".join(rng.choices(WORDS, k=4)),
                                   content=" ".join(rng.choices(WORDS, k=rng.randint(5, 40))))
        writer.commit(merge=False)
    s = ix.searcher()
    assert len(s.leaf_searchers()) == 3 and any(leaf.reader().has_deletions() for leaf, _ in s.leaf_searchers())
    yield s
    s.close()


@pytest.mark.parametrize("every_word", [True, False])
@pytest.mark.parametrize("text", QUERIES)
def test_ranker_matches_whoosh_scores_and_order(searcher, text, every_word):
    built = build_query(searcher.schema, text, every_word=every_word)
    expected = sorted(((hit.docnum, hit.score) for hit in searcher.search(built, limit=None)),
                      key=lambda item: (-item[1], item[0]))
    ranked = Ranker(searcher).top(built, limit=50)
    assert [doc for doc, _ in ranked] == [doc for doc, _ in expected[:50]]
    assert [score for _, score in ranked] == pytest.approx([score for _, score in expected[:50]], rel=1e-9)

