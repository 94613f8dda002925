"""The hub starts, and its home page speaks each of the five languages."""

import pytest


@pytest.mark.parametrize("lang, word, direction", [
    ("en", "Learning Hub", "ltr"), ("fr", 'lang="fr"', "ltr"), ("es", 'lang="es"', "ltr"),
    ("pt", 'lang="pt"', "ltr"), ("ar", 'lang="ar"', "rtl")])
def test_home_page_in_each_language(client, lang, word, direction):
    response = client.get("/", headers={"Accept-Language": lang})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert word in html
