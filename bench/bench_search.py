"""Search benchmark: 50,000 generated multilingual documents, Whoosh (the hub's analyzer, codec and
query path) next to SQLite FTS5 on the same corpus and queries, in the same run.

Prints indexing documents/s, index size and query median/p95/p99 (top 10 with highlights). The
Whoosh figure runs the hub's own engine path (hub.search.services.find_hits: every word as typed,
with glossary translations, then any word — nearly every generated query has glossary words, so
this is the dearest case; SEARCH_MAX_HITS candidates with their stored fields, facet counts) on one searcher reused for
every query. The "hub" figure then runs the whole of hub.search.services.search() on the same index,
with a database holding one row per document (organisations, people, communities of three
visibilities, discussions): the permission filter in SQL for a signed-in member, facet counts, a
page of 20 loaded from the database with links, titles and snippets — all of a results page but
its HTML. The machines are shared, so CPU time per query is printed too: wall time waits for
other processes.
Run: .venv/bin/python bench/bench_search.py [--docs 50000] [--queries 240]
(BENCH_DOCS=10000 in the environment sets a smaller default corpus for quick iterations.)
"""

import argparse
import functools
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index as whoosh_index

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this worktree's hub, not the installed one

import sqlalchemy as sa

from hub import create_app
from hub.accounts.models import User
from hub.communities.models import Community, Membership
from hub.config import Defaults
from hub.db import utcnow
from hub.discussions.models import Discussion
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.search import highlighting, services
from hub.search.analysis import fold
from hub.search.index import make_schema, new_writer

WORDS = {
    "en": "education girls teachers school learning budget financing children literacy inclusion disability "
          "emergencies refugees climate curriculum training assessment policy rights public quality access "
          "community coalition advocacy government report campaign early childhood youth adults digital",
    "fr": "éducation filles enseignants école apprentissage budget financement enfants alphabétisation inclusion "
          "handicap urgences réfugiés climat programme formation évaluation politique droits publique qualité "
          "accès communauté coalition plaidoyer gouvernement rapport campagne petite enfance jeunes adultes",
    "es": "educación niñas docentes escuela aprendizaje presupuesto financiamiento niños alfabetización inclusión "
          "discapacidad emergencias refugiados clima currículo formación evaluación política derechos pública "
          "calidad acceso comunidad coalición incidencia gobierno informe campaña primera infancia jóvenes",
    "pt": "educação meninas professores escola aprendizagem orçamento financiamento crianças alfabetização "
          "inclusão deficiência emergências refugiados clima currículo formação avaliação política direitos "
          "pública qualidade acesso comunidade coalizão incidência governo relatório campanha infância jovens",
    "ar": "التعليم الفتيات المعلمين المدرسة التعلم الميزانية التمويل الأطفال محو الأمية الدمج الإعاقة الطوارئ "
          "اللاجئين المناخ المنهج التدريب التقييم السياسة الحقوق العامة الجودة الوصول المجتمع التحالف المناصرة "
          "الحكومة التقرير الحملة الطفولة المبكرة الشباب الكبار",
}
SYLLABLES = {"en": "ba ter son ing ment al ly pro con struct", "fr": "tion eau ois ment que re pré dé ité lle",
             "es": "ción mien ado ida que re pre des dad llo", "pt": "ção men ado ida que re pre des dade lho",
             "ar": "ال مد رس كت عل ين ات ون ها بة"}


#: Results per query, highlighted (as on a results page).
TOP = 10


def vocabulary(rng, lang: str, size: int = 4000) -> list[str]:
    """Topical words plus generated rarer words, so the lexicon has a realistic size."""
    words = WORDS[lang].split()
    syllables = SYLLABLES[lang].split()
    rare = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return words * 20 + sorted(rare)


def generate(count: int, seed: int = 7) -> list[dict]:
    """`count` documents in the five languages: a title of 4–8 words and 40–90 words of text."""
    rng = random.Random(seed)
    vocab = {lang: vocabulary(rng, lang) for lang in WORDS}
    kinds = ("organisation", "person", "community", "discussion")
    communities = [str(n + 1) for n in range(count) if kinds[n % 4] == "community"] or [""]
    documents = []
    for n in range(count):
        lang = rng.choice(list(WORDS))
        words = vocab[lang]
        title = " ".join(rng.choice(words) for _ in range(rng.randint(4, 8)))
        content = " ".join(rng.choice(words) for _ in range(rng.randint(40, 90)))
        kind = kinds[n % 4]
        # The community a discussion is in (as database_rows puts it), a community's own id; all visible.
        community = {"community": str(n + 1), "discussion": communities[(n + 1) % len(communities)]}.get(kind, "")
        documents.append({"key": f"{kind}:{n + 1}", "kind": kind, "title": title.capitalize(), "content": content,
                          "languages": lang, "community": community, "access": "open",
                          "themes": "", "region": "", "year": str(2020 + n % 6), "date": ""})
    return documents


def make_queries(count: int, seed: int = 11) -> list[str]:
    """One- to three-word queries in every language, some without accents, some mixing languages."""
    rng = random.Random(seed)
    queries = []
    for n in range(count):
        lang = rng.choice(list(WORDS))
        words = rng.sample(WORDS[lang].split(), rng.randint(1, 3))
        if n % 7 == 0:
            words.append(rng.choice(WORDS[rng.choice(list(WORDS))].split()))
        query = " ".join(words)
        if n % 5 == 0:
            query = fold(query) if lang != "ar" else query
        queries.append(query)
    return queries


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda p: ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000  # noqa: E731
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms"


def folder_size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def bench_whoosh(documents, queries, folder: Path) -> None:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    started = time.perf_counter()
    writer = new_writer(ix, procs=2, multisegment=True, limitmb=128)
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    elapsed = time.perf_counter() - started
    print(f"Whoosh: indexed {len(documents)} documents in {elapsed:.1f} s = {len(documents) / elapsed:.0f} docs/s; "
          f"index {folder_size(folder):.1f} MB")
    searcher = ix.searcher()  # one searcher, reused, as in the hub
    timings, cpu, found = [], [], 0
    for text in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        hits = services.find_hits(searcher, services.clean_query(text), keep=list, limit=Defaults.SEARCH_MAX_HITS,
                                  enough=TOP)
        services.count_facets(hits, {})
        hits = hits[:TOP]
        stored = [searcher.stored_fields(hit.docnum) for hit in hits]
        snippets = [(highlighting.title(fields["title"], hit.words), highlighting.snippet(fields["content"], hit.words))
                    for hit, fields in zip(hits, stored)]
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        found += bool(snippets)
    print(f"Whoosh: {len(queries)} queries (top 10 with highlights): {percentiles(timings)}; "
          f"{found} with results")
    print(f"Whoosh: CPU time per query: {percentiles(cpu)}")
    return timings


KIND_MODELS = {"organisation": Organisation, "person": User, "community": Community, "discussion": Discussion}
VISIBILITIES = ("public", "members", "private")


def database_rows(documents) -> dict[type, list[dict]]:
    """One row per document, with the document's id, for the permission filter and the page's links."""
    rows = {model: [] for model in KIND_MODELS.values()}
    ids = {kind: [int(d["key"].split(":")[1]) for d in documents if d["kind"] == kind] for kind in KIND_MODELS}
    for d in documents:
        kind, number = d["kind"], int(d["key"].split(":")[1])
        common = {"id": number}
        if kind == "organisation":
            common |= {"slug": f"org-{number}", "name": d["title"][:200], "country": "KE", "region": "africa",
                       "north_south": "south"}
        elif kind == "person":
            common |= {"email": f"p{number}@example.org", "name": d["title"][:120], "handle": f"p{number}",
                       "password_hash": "-", "status": "active", "email_verified_at": utcnow(),
                       "organisation_id": ids["organisation"][number % len(ids["organisation"])]}
        elif kind == "community":
            common |= {"slug": f"c-{number}", "title": d["title"][:200], "status": "active",
                       "visibility": VISIBILITIES[number % 3]}
        else:
            common |= {"title": d["title"][:200], "body": d["content"], "body_html": d["content"],
                       "community_id": ids["community"][number % len(ids["community"])],
                       "author_id": ids["person"][number % len(ids["person"])], "language": d["languages"]}
        rows[KIND_MODELS[kind]].append(common)
    return rows


#: The parts of services.search() timed separately (CPU, inclusive): label → (module, function).
PARTS = {"ranking (Ranker.top)": ("ranking", "top"), "candidates' stored fields (_hits)": ("services", "_hits"),
         "permission filter": ("services", "permitted"), "facet counts": ("services", "count_facets"),
         "query parsing": ("services", "build_query"), "page from the database (load_page)": ("services", "load_page"),
         "titles and snippets (_decorate)": ("services", "_decorate")}


def timed_parts() -> dict[str, float]:
    """Wrap PARTS so each adds its CPU time to the returned dictionary (a bench-only patch)."""
    from hub.search import ranking
    totals = dict.fromkeys(PARTS, 0.0)
    for label, (module, name) in PARTS.items():
        owner = ranking.Ranker if module == "ranking" else services
        function = getattr(owner, name)

        @functools.wraps(function)
        def timed(*args, _function=function, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                totals[_label] += time.process_time() - started
        setattr(owner, name, timed)
    return totals


def bench_hub(documents, queries, folder: Path) -> list[float]:
    """The whole search of a results page (services.search) as a signed-in member, on a real database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SEARCH_INDEX_PATH": str(folder / "whoosh"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'hub.sqlite3'}"},
                     instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        for model, rows in database_rows(documents).items():
            db.session.execute(sa.insert(model), rows)
        member_id = len(documents) + 1
        db.session.execute(sa.insert(User), [{"id": member_id, "email": "member@example.org", "name": "Member",
                                              "password_hash": "-", "status": "active",
                                              "email_verified_at": utcnow()}])
        private = db.session.scalars(sa.select(Community.id).where(Community.visibility == "private").limit(50))
        db.session.execute(sa.insert(Membership), [{"community_id": c, "user_id": member_id} for c in private])
        db.session.commit()
        member = db.session.get(User, member_id)
        timings, cpu, found = [], [], 0
        parts = timed_parts()
        services._parsed.cache_clear()  # bench_whoosh parsed these very queries: start cold, as a first search
        with app.test_request_context():
            for text in queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                result = services.search(text, member)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                found += bool(result.hits and result.hits[0].link)
            parts = {label: seconds / len(queries) for label, seconds in parts.items()}
            typo_timings, typo_cpu, suggested = [], [], 0
            for text in typos(queries[:40]):
                started, started_cpu = time.perf_counter(), time.process_time()
                suggested += bool(services.search(text, member).suggestion)
                typo_timings.append(time.perf_counter() - started)
                typo_cpu.append(time.process_time() - started_cpu)
        db.session.remove()
        db.engine.dispose()
    print(f"Hub:    {len(queries)} searches (services.search: permission filter, facets, page of 20 checked and "
          f"loaded from the database with links and snippets): {percentiles(timings)}; {found} with results")
    print(f"Hub:    CPU time per search: {percentiles(cpu)}; mean {statistics.mean(cpu) * 1000:.1f} ms, of which "
          + ", ".join(f"{label} {seconds * 1000:.1f} ms" for label, seconds in parts.items()))
    print(f"Hub:    {len(typo_timings)} searches with a typo (\"Did you mean\" checked against permitted results): "
          f"{percentiles(typo_timings)} (CPU {percentiles(typo_cpu)}); {suggested} with a suggestion")
    return timings


def typos(queries: list[str]) -> list[str]:
    """Each query with one letter of its longest word doubled: a typo the suggestions should mend."""
    found = []
    for text in queries:
        words = text.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        words[longest] = word[:len(word) // 2] + word[len(word) // 2] + word[len(word) // 2:]
        found.append(" ".join(words))
    return found


def bench_fts5(documents, queries, path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, content, "
                       "tokenize = 'unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    connection.executemany("INSERT INTO docs(title, content) VALUES (?, ?)",
                           ((d["title"], d["content"]) for d in documents))
    connection.commit()
    elapsed = time.perf_counter() - started
    print(f"FTS5:   indexed {len(documents)} documents in {elapsed:.1f} s = {len(documents) / elapsed:.0f} docs/s; "
          f"database {path.stat().st_size / 1e6:.1f} MB")
    timings, cpu, found = [], [], 0
    sql = ("SELECT rowid, highlight(docs, 0, '<mark>', '</mark>'), snippet(docs, 1, '<mark>', '</mark>', '…', 24) "
           "FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10")
    for text in queries:
        match = " OR ".join('"' + word.replace('"', "") + '"' for word in text.split())
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = connection.execute(sql, (match,)).fetchall()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        found += bool(rows)
    print(f"FTS5:   {len(queries)} queries (top 10 with highlights): {percentiles(timings)}; {found} with results")
    print(f"FTS5:   CPU time per query: {percentiles(cpu)}")
    connection.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=int(os.environ.get("BENCH_DOCS", 50_000)))
    parser.add_argument("--queries", type=int, default=240)
    args = parser.parse_args()
    documents, queries = generate(args.docs), make_queries(args.queries)
    folder = Path(tempfile.mkdtemp(prefix="hub-bench-search-"))
    try:
        whoosh_times = bench_whoosh(documents, queries, folder / "whoosh")
        bench_hub(documents, queries, folder)
        fts_times = bench_fts5(documents, queries, folder / "fts5.sqlite3")
        ratio = statistics.median(whoosh_times) / max(statistics.median(fts_times), 1e-9)
        print(f"Whoosh / FTS5 median query time: {ratio:.1f}x (FTS5 does no stemming or cross-language reach)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
