"""A word finds its translations where no stem is shared; matches in the typed language come first."""

import re

from hub.search import glossary
from tests.search.test_visibility import results


def titles_in_order(text, *titles):
    """The positions of the titles in the results page (-1: absent)."""
    return [text.find(title) for title in titles]


def test_filles_reaches_girls_ninas_and_arabic_but_not_fill():
    found = glossary.translations("filles")
    assert {"girls", "niñas", "meninas", "raparigas", "الفتيات"} <= set(found)
    assert "filles" not in found  # the typed word itself is not its own translation
    assert glossary.translations("fill") == () and glossary.translations("fillette") == ()
    assert "girls" in glossary.translations("الْفَتَيَات")  # Arabic marks and the article do not matter
    assert "girls" in glossary.translations("فتيات")


def test_a_query_in_one_language_finds_the_others_and_its_own_first(client, corpus, create_user, sign_in):
    sign_in(create_user(email="reader@example.org"))
    spanish = results(client, "niñas")
    french, own = titles_in_order(spanish, "Bourses scolaires pour les filles", "Educación de las niñas indígenas")
    assert own != -1 and french != -1 and own < french  # the Spanish discussion, then the French one
    arabic = results(client, "الفتيات")
    assert "Éducation des filles en Afrique de l'Ouest" in arabic and "Educación de las niñas indígenas" in arabic
    teachers = results(client, "المعلمين")
    assert "Teachers and the teaching profession" in teachers  # reached from Arabic
    count = re.search(r"(\d+) results?", teachers)
    assert count and int(count.group(1)) >= 3
