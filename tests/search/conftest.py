"""Search fixtures: the labelled corpus, and a reader who is signed in."""

import pytest

from tests.search import corpus as corpus_module


@pytest.fixture
def corpus(app):
    """The multilingual corpus, committed (and so indexed: TESTING applies changes after commit)."""
    return corpus_module.build()


@pytest.fixture
def sign_in(sign_in, csrf_off):
    """The root conftest's sign_in, with forms posted without fetching them first."""
    return sign_in
