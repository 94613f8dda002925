"""Search fixtures: the labelled corpus, and a reader who is signed in."""

import pytest

from tests.conftest import session_token
from tests.search import corpus as corpus_module


@pytest.fixture
def corpus(app):
    """The multilingual corpus, committed (and so indexed: TESTING applies changes after commit)."""
    return corpus_module.build()


@pytest.fixture
def sign_in(client, csrf_off):
    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = session_token(user)
            session["_fresh"] = True
        return user
    return login
