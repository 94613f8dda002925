"""The hub's indexing shortcuts (HubPositions, HubCodec) write the postings Whoosh's own would."""

import random

from whoosh import index as whoosh_index
from whoosh.formats import Positions

from hub.search.codec import HubCodec
from hub.search.index import make_schema
from tests.search.test_ranking import WORDS

TEXTS = [*WORDS, "the", "of", "l'école", "Éducation,", "c++", "e-learning", "وال", "niñas.", "x"]


def _documents():
    rng = random.Random(9)
    return [{"key": f"organisation:{n}", "kind": "organisation", "title": " ".join(rng.choices(TEXTS, k=5)),
             "content": " ".join(rng.choices(TEXTS, k=rng.randint(0, 300)))} for n in range(300)]


def _postings(reader):
    found = {}
    for fieldname, text in reader.all_terms():
        if fieldname in ("title", "content"):
            matcher = reader.postings(fieldname, text)
            rows = found[(fieldname, text)] = []
            while matcher.is_active():
                rows.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))
                matcher.next()
    lengths = [(reader.doc_field_length(d, "title"), reader.doc_field_length(d, "content"))
               for d in range(reader.doc_count_all())]
    return found, lengths


def test_hub_postings_and_lengths_are_whooshs(tmp_path):
    plain = make_schema()
    for name in ("title", "content"):
        plain[name].format = Positions(field_boost=plain[name].format.field_boost)
    written = []
    for folder, schema, codec in ((tmp_path / "whoosh", plain, None), (tmp_path / "hub", make_schema(), HubCodec())):
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), schema)
        writer = ix.writer(codec=codec) if codec else ix.writer()
        for document in _documents():
            writer.add_document(**document)
        writer.commit()
        with ix.reader() as reader:
            written.append(_postings(reader))
    assert written[0] == written[1]
    assert len(written[0][0]) > 50
