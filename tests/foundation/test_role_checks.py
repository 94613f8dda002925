"""Who may do what is asked of hub/permissions.py only: roles are read nowhere else (checked with ast)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROLES = {"is_secretariat", "is_focal_point", "is_facilitator"}
#: Model columns in SQL (User.is_focal_point.is_(True): who to tell), and the predicates themselves.
MODELS = {"User", "Membership", "permissions"}
#: The membership rules own the facilitator flag (the last facilitator cannot leave).
OWNERS = {"hub/communities/membership.py": {"is_facilitator"}}


def role_reads(source: str, allowed=frozenset()) -> list[int]:
    """Lines reading a role attribute of a person or membership (assignments and SQL columns aside)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in ROLES - allowed and isinstance(node.ctx, ast.Load)
            and not (isinstance(node.value, ast.Name) and node.value.id in MODELS)]


def test_python_asks_permissions_for_roles():
    found = {}
    for path in sorted((ROOT / "hub").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name != "hub/permissions.py" and (lines := role_reads(path.read_text(encoding="utf-8"),
                                                                 OWNERS.get(name, set()))):
            found[name] = lines
    assert found == {}, "ask a predicate of hub/permissions.py"


def test_templates_ask_permissions_about_the_viewer():
    pattern = re.compile(r"current_user\.(" + "|".join(ROLES) + r")\b")
    found = [p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.html")
             if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == []


def test_a_role_read_is_caught():
    assert role_reads("if not user.is_secretariat:\n    pass\n") == [1]
    assert role_reads("person.is_focal_point = True\nq = User.is_secretariat.is_(True)\n"
                      "ok = permissions.is_secretariat(user)\n") == []
