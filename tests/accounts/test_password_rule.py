"""The password rule: 10 to 128 characters, common ones refused, no composition rules, a modern hash."""

import pytest
import sqlalchemy as sa

from hub.accounts.models import User
from hub.accounts.passwords import common_passwords
from hub.extensions import db


@pytest.mark.parametrize("password, accepted, message", [
    ("ninechars", False, "Use at least 10 characters."),
    ("x" * 7 + "yz" + "w" * 120, False, "Use at most 128 characters."),
    ("password123", False, "too common"),
    ("Password123", False, "too common"),
    ("qwertyuiop", False, "too common"),
    ("aaaaaaaaaaaa", False, "too common"),
    ("riverbanks", True, None),  # ten lower-case letters: no composition rules
    ("a" * 10 + "bc" + "d" * 116, True, None),  # exactly 128
    ("amina@example.org", False, "email address"),
    ("crème brûlée au café", True, None),
])
def test_registration_password_rule(register, helpers, password, accepted, message):
    response = register(email="amina@example.org", name="Amina Diallo", password=password,
                        organisation="not-listed", new_organisation_name="Coalition", new_organisation_country="SN")
    html = response.get_data(as_text=True)
    assert (helpers.user("amina@example.org") is not None) is accepted
    if message:
        assert message in html and 'id="password-error"' in html
    if "@" not in password:
        assert password not in html  # a refused password is never sent back


def test_the_shipped_list_is_used(app):
    assert {"password123", "qwertyuiop", "1234567890"} <= common_passwords()
    assert len(common_passwords()) > 1000


def test_passwords_are_stored_with_a_modern_kdf(register, helpers):
    register(email="amina@example.org", password="riverbanks and stones", organisation="not-listed",
             new_organisation_name="Coalition", new_organisation_country="SN")
    stored = helpers.user("amina@example.org").password_hash
    assert stored.startswith("scrypt:") and "riverbanks" not in stored
    assert helpers.user("amina@example.org").check_password("riverbanks and stones")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_production_hashes_use_full_strength_scrypt(app):
    from hub import config
    from hub.accounts.passwords import hash_password
    app.config["PASSWORD_HASH_METHOD"] = config.Defaults.PASSWORD_HASH_METHOD
    assert hash_password("riverbanks and stones").startswith("scrypt:32768:8:1$")
