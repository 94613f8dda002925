"""People's words mark their own direction: every container of user content on the pages that show it
carries dir (via templates/_macros/text.html), so English inside an Arabic page reads left to right."""

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from hub.communities.models import PROPOSED, Community
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.library.models import LibraryItem
from hub.desk.models import Report
from hub.survey.models import Submission
from tests.browser.conftest import SECRETARIAT
from tests.browser.test_links import _sign_in

pytestmark = pytest.mark.slow

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Undirected(HTMLParser):
    """Collects text that contains one of `texts` but has no ancestor (below <html>) with dir, nor a <bdi>."""

    def __init__(self, texts):
        super().__init__()
        self.texts, self.stack, self.found, self.bare = texts, [], set(), []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, "dir" in dict(attrs) and tag != "html" or tag == "bdi"))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if any(tag in ("title", "option") for tag, _ in self.stack):
            return  # plain text only: no element inside can carry a direction
        text = " ".join(data.split())
        for wanted in self.texts:
            if wanted in text:
                self.found.add(wanted)
                if not any(directed for _, directed in self.stack):
                    self.bare.append(wanted)


def _undirected(html: str, texts) -> tuple[set, list]:
    parser = _Undirected(texts)
    parser.feed(html)
    return parser.found, parser.bare


def _snippet(text: str) -> str | None:
    """A stretch of plain words from user text that the page shows as typed (first line, no markup)."""
    line = next((part for part in (text or "").splitlines() if part.strip()), "")
    words = re.sub(r"[*_`#>\[\]()]", " ", line).split()
    return " ".join(words[:4]) if len(words) >= 2 else None


def _user_content(app, site_pages=()):
    """Pages that show people's words, each with the snippets of those words it shows."""
    with app.app_context():
        practices = db.session.scalars(sa.select(Discussion).where(Discussion.best_practice_summary != "")).all()
        summaries = {d.id: _snippet(d.best_practice_summary) for d in practices}
        reports = db.session.execute(sa.select(Report.kind, Report.object_id, Report.note)
                                     .where(Report.note != "")).all()
        proposals = db.session.scalars(sa.select(Community.title).where(Community.status == PROPOSED)).all()
        answers = [(s.round_id, s.organisation.slug, [_snippet(v) for v in s.answers.values()
                                                       if isinstance(v, str) and len(v.split()) >= 3])
                   for s in db.session.scalars(sa.select(Submission))]
        reply = db.session.scalar(sa.select(Reply).where(Reply.deleted_at.is_(None), Reply.hidden_at.is_(None))
                                  .order_by(Reply.id))
        edit = (f"/discussions/{reply.discussion_id}/replies/{reply.id}/edit", reply.author.email,
                [_snippet(reply.discussion.title), _snippet(reply.body)])
        titles = [_snippet(t) for model in (Discussion, Community, LibraryItem)
                  for t in db.session.scalars(sa.select(model.title))]
        db.session.remove()
    pages = {"/best-practices": [s for s in summaries.values() if s]}
    pages.update({f"/discussions/{d}": [s] for d, s in summaries.items() if s})
    pages.update({f"/desk/queue/{kind}/{object_id}": [_snippet(note)] for kind, object_id, note in reports})
    pages["/communities/proposed"] = [_snippet(title) or title for title in proposals]
    pages.update({f"/capacity/rounds/{r}/answers/{slug}": found for r, slug, found in answers if found})
    for path in ("/", "/communities/", "/library/", "/desk/queue", *site_pages):
        pages[path] = pages.get(path, []) + titles
    return {path: [s for s in snippets if s] for path, snippets in pages.items()}, edit


def test_user_content_marks_its_own_direction(demo_site):
    pages, (edit_path, author, edit_snippets) = _user_content(
        demo_site.app, [demo_site.pages[name] for name in ("community", "discussion", "item")])
    kinds = {path.split("/")[1 if not path.startswith("/desk") else 2] for path in pages}
    assert {"best-practices", "discussions", "queue", "communities", "capacity"} <= kinds, kinds
    client = demo_site.app.test_client()
    _sign_in(client, SECRETARIAT)
    problems, shown = [], 0
    for path, snippets in pages.items():
        html = client.get(path).get_data(as_text=True)
        found, bare = _undirected(html, snippets)
        shown += len(found)
        problems += [f"{path}: {text!r}" for text in bare]
    author_client = demo_site.app.test_client()
    _sign_in(author_client, author)
    found, bare = _undirected(author_client.get(edit_path).get_data(as_text=True), edit_snippets)
    problems += [f"{edit_path}: {text!r}" for text in bare]
    assert shown >= len(pages) and found, "the pages no longer show the words looked for"
    assert not problems, "user content without dir: " + "; ".join(problems)
