"""Rename the blueprints not named after their package, and every endpoint that names them.

    .venv/bin/python tools/rename_blueprints.py [ROOT]      # ROOT: the checkout (default: this one)
    .venv/bin/python tools/rename_blueprints.py --check     # say what would change, change nothing

Run it once after merging every branch, then the walker and the tests. It is idempotent: a second run
finds nothing to change. It rewrites, under hub/, templates/ and tests/:
- `Blueprint("account", …)` definitions;
- every endpoint written as a quoted string (`url_for('account.profile')`, `request.endpoint == "…"`,
  `("people.profile", {...})` in hub/kinds.py, tests' endpoint tables) — only names the application
  really serves (read from the app's URL map), so `"people.csv"` or a dict key "people" stay;
- a quoted prefix (`"capacity_map."`), `request.blueprint == "…"` and `BLUEPRINTS = (…)` lines.
Anything else that still says an old name beside "blueprint" or "endpoint" is listed to read by hand.

Names: each package keeps its main blueprint under its own name; a package's second blueprint is
`<package>_<module>`, so every endpoint of a package starts with the package's name and its module is
found from the endpoint. "account" (accounts/settings.py) cannot fold into "accounts": both have a
`profile` view (people.py too), and settings.py serves under /account while accounts serves at the root.
"""

import argparse
import re
import sys
from pathlib import Path

RENAMES = {
    "account": "accounts_settings",        # hub/accounts/settings.py (profile, password, email, export)
    "devices": "accounts_devices",         # hub/accounts/devices.py
    "people": "accounts_people",           # hub/accounts/people.py
    "capacity_map": "survey_map",          # hub/survey/map_views.py
    "discussion_actions": "discussions_actions",  # hub/discussions/actions.py
    "feeds": "notifications_feeds",        # hub/notifications/feeds.py (learning_sessions' nested "feeds" stays)
    "capacity_change": "survey_change",    # hub/survey/change_views.py
    "plans": "survey_plans",               # hub/survey/plan_views.py
    "exchanges": "survey_exchanges",       # hub/survey/exchange_views.py
}
FOLDERS = ("hub", "templates", "tests")
SUFFIXES = {".py", ".html", ".txt", ".xml", ".jinja", ".j2"}


def served_endpoints(root: Path) -> set[str]:
    """The endpoints the application at `root` serves (built with a throwaway in-memory database)."""
    sys.path.insert(0, str(root))
    from hub import create_app
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "rename"})
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def rules(endpoints: set[str]) -> list[tuple[re.Pattern, str]]:
    """(pattern, replacement) pairs, exact: quoted strings only."""
    found = []
    for old, new in RENAMES.items():
        names = sorted(e.split(".", 1)[1] for e in endpoints if e.startswith(old + "."))
        if names:
            found.append((re.compile(r"""(["'])%s\.(%s)\1""" % (re.escape(old), "|".join(map(re.escape, names)))),
                          r"\g<1>%s.\2\1" % new))
        found += [
            (re.compile(r"""(\bBlueprint\(\s*)(["'])%s\2""" % re.escape(old)), r"\g<1>\g<2>%s\2" % new),
            (re.compile(r"""(["'])%s\.\1""" % re.escape(old)), r"\g<1>%s.\1" % new),
            (re.compile(r"""(\brequest\.blueprint\s*[!=]=\s*)(["'])%s\2""" % re.escape(old)), r"\g<1>\g<2>%s\2" % new),
        ]
    return found


def rename_in_blueprint_lists(text: str) -> str:
    """`BLUEPRINTS = ("survey", "capacity_map")`: the old names in such a line."""
    def one_line(match):
        line = match.group(0)
        for old, new in RENAMES.items():
            line = re.sub(r"""(["'])%s\1""" % re.escape(old), r"\g<1>%s\1" % new, line)
        return line
    return re.sub(r"^.*\bBLUEPRINTS\b\s*=.*$", one_line, text, flags=re.MULTILINE)


def files(root: Path):
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                yield path


def leftovers(root: Path) -> list[str]:
    """Lines that still name an old blueprint near the words blueprint or endpoint."""
    old = "|".join(map(re.escape, RENAMES))
    pattern = re.compile(r"""(["'])(%s)(\.|\1)""" % old)
    found = []
    for path in files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and re.search(r"blueprint|endpoint|url_for", line, re.IGNORECASE):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--check", action="store_true", help="list the files that would change; change nothing")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    patterns = rules(served_endpoints(root))
    changed = 0
    for path in files(root):
        text = path.read_text(encoding="utf-8")
        new = rename_in_blueprint_lists(text)
        for pattern, replacement in patterns:
            new = pattern.sub(replacement, new)
        if new != text:
            changed += 1
            print(f"{'would change' if args.check else 'changed'}: {path.relative_to(root)}")
            if not args.check:
                path.write_text(new, encoding="utf-8")
    print(f"{changed} file(s) {'to change' if args.check else 'changed'}.")
    for line in leftovers(root):
        print(f"read by hand: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
