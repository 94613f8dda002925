"""The moderator's case page: the author's history and each report's state, in words."""

import re

from tests.desk.test_reports_and_queue import report


def history(page: str) -> dict:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", page))


def test_case_page_counts_the_authors_library_items_and_names_report_states(client, auth, world):
    people, discussion = world["people"], world["discussion"]
    auth.login(people["member"].email)
    report(client, "discussion", discussion.id, "spam", "looks like an advert")
    auth.logout()
    auth.login(people["secretariat"].email)
    path = f"/desk/queue/discussion/{discussion.id}"
    page = client.get(path).get_data(as_text=True)
    assert "built-in method" not in page
    assert history(page)["Library items"] == "0"
    assert history(page)["Discussions started"] == "1"
    assert "· open" in page
    client.post(path, data={"action": "hide", "reason": "An advert"})
    page = client.get(path).get_data(as_text=True)
    assert "· content hidden" in page and "· hidden\n" not in page
    assert history(page)["Hidden by moderators"] == "1"
