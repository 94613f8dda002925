"""Features depend one way: a package imports only packages of lower layers, read from the source with ast.

What one feature causes in another travels up by signals (hub/signals.py, connected in create_app),
never by a lower feature importing a higher one; mail and signals sit below every feature.
"""

import ast
from pathlib import Path

HUB = Path(__file__).resolve().parents[2] / "hub"

#: Lowest first. A package may import packages of lower layers only.
LAYERS = [
    {"jobs"},                               # infrastructure: any feature may queue work
    {"accounts", "organisations"},          # people and the organisations they belong to
    {"communities"},
    {"discussions", "library", "survey"},
    {"learning_sessions"},                  # sessions gather recordings, discussions and capacity areas
    {"search"},                             # reads other features' models, one document function each
    {"desk", "notifications"},              # act on, and tell about, what lower features announce
    {"core", "demo"},                       # the front page and the demo data use everything
    {"operations"},                         # backups, doctor, metrics: read every feature's tables
]
#: People and organisations are one feature in two packages (STYLE.md's `accounts`): registration
#: proposes an organisation, an organisation's page lists its people.
SAME_FEATURE = {("accounts", "organisations"), ("organisations", "accounts")}
#: Modules every feature imports: they must import no feature.
BELOW_FEATURES = ["mail.py", "signals.py", "db.py", "extensions.py"]


def hub_imports(path: Path) -> set[str]:
    """The hub packages and modules a file imports (second part of each 'hub.x…' name)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name.split(".")[1] for name in names if name.startswith("hub.") and name.count(".") >= 1)
    return found


def package_graph() -> dict[str, set[str]]:
    packages = {p.name for p in HUB.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    graph = {name: set() for name in packages}
    for name in packages:
        for path in (HUB / name).rglob("*.py"):
            graph[name] |= (hub_imports(path) & packages) - {name}
    return graph


def test_every_package_is_placed_in_a_layer():
    placed = set().union(*LAYERS)
    assert set(package_graph()) == placed


def test_packages_import_only_lower_layers():
    rank = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    upward = sorted((a, b) for a, targets in package_graph().items() for b in targets
                    if rank[b] >= rank[a] and (a, b) not in SAME_FEATURE)
    assert upward == [], "import a lower layer only; announce to higher ones with hub/signals.py"


def test_no_feature_imports_notifications_and_mail_imports_no_feature():
    graph = package_graph()
    assert sorted(a for a, targets in graph.items() if "notifications" in targets) == ["demo"]
    features = set(graph) - {"jobs"}
    for module in BELOW_FEATURES:
        assert hub_imports(HUB / module) & features == set(), module


def test_a_lower_feature_importing_a_higher_one_is_caught(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from hub.notifications import services as notifications\nimport hub.search.outbox\n")
    assert hub_imports(probe) == {"notifications", "search"}


def test_every_blueprint_is_named_after_its_package(app):
    """An endpoint says where its view lives: `survey_plans.show` is in hub/survey/, `learning_sessions.feeds.…`
    too. A package's main blueprint has its name; another is `<package>_<module>`; nested ones sit inside."""
    misnamed = []
    for name, blueprint in app.blueprints.items():
        package = blueprint.import_name.split(".")[1]
        top = name.split(".")[0]
        if top != package and not top.startswith(package + "_"):
            misnamed.append(f"{name} ({blueprint.import_name})")
    assert misnamed == []
