"""deploy/: the systemd units parse, run commands the hub has, and nginx's limits match the hub's."""

import configparser
import re
import shlex
from pathlib import Path

import pytest

from hub.config import Defaults
from hub.inputs import DRAIN_LIMIT
from hub.library.views import FORM_OVERHEAD

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED = "/srv/learning-hub"  # where the units say the checkout lives
UNITS = sorted(p for p in DEPLOY.iterdir() if p.suffix in (".service", ".timer"))
MB = 1024 * 1024


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def in_repo(path: str) -> Path:
    assert path.startswith(INSTALLED + "/"), path
    return ROOT / path[len(INSTALLED) + 1:]


def flask_commands() -> list[list[str]]:
    """Every `flask --app hub …` command line the units run."""
    found = []
    for path in UNITS:
        for line in path.read_text(encoding="utf-8").splitlines():
            for match in re.finditer(r"/bin/flask --app hub ([a-z -]+)", line):
                found.append([word for word in match.group(1).split() if not word.startswith("-")])
    return found


def test_the_expected_units_are_there():
    assert {p.name for p in UNITS} >= {"hub-web.service", "hub-jobs.service", "hub-library-clean.service",
                                       "hub-library-clean.timer", "hub-backup.service", "hub-backup.timer"}


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_parses_and_names_what_exists(path):
    parsed = unit(path)
    assert parsed.has_section("Unit") and parsed["Unit"].get("Description")
    if path.suffix == ".timer":
        assert parsed["Timer"].get("OnCalendar")
        assert (DEPLOY / parsed["Timer"]["Unit"]).is_file()
        return
    service = parsed["Service"]
    assert service["WorkingDirectory"] == INSTALLED
    program = shlex.split(service["ExecStart"])[0]
    if program.startswith(INSTALLED):
        assert in_repo(program).name in {"gunicorn", "flask"} and (ROOT / ".venv/bin" / in_repo(program).name).exists()


def test_the_flask_commands_the_units_run_exist(app):
    commands = flask_commands()
    assert ["jobs", "run"] in commands and ["library", "clean"] in commands and ["backup", "create"] in commands
    runner = app.test_cli_runner()
    for command in commands:
        result = runner.invoke(args=[*command, "--help"])
        assert result.exit_code == 0, (command, result.output)


def test_gunicorn_serves_the_factory_with_its_config():
    start = shlex.split(unit(DEPLOY / "hub-web.service")["Service"]["ExecStart"])
    config = in_repo(start[start.index("--config") + 1])
    assert config.is_file()
    compile(config.read_text(encoding="utf-8"), str(config), "exec")
    assert start[-1] == "hub:create_app()"
    assert "HUB_PROXY_COUNT=1" in unit(DEPLOY / "hub-web.service")["Service"]["Environment"]


def nginx_locations() -> dict[str, str]:
    """location pattern → its block's text (the blocks hold no nested braces)."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"location\s+([^{]+)\{([^}]*)\}", text)}


def body_limit(block: str) -> int:
    size = re.search(r"client_max_body_size\s+(\d+)m;", block)
    return int(size.group(1)) * MB


def test_nginx_lets_through_what_the_hub_accepts():
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    locations = nginx_locations()
    form = next(block for pattern, block in locations.items() if "new" in pattern and "edit" in pattern)
    assert body_limit(form) >= Defaults.LIBRARY_FORM_UPLOAD_LIMIT + FORM_OVERHEAD
    for path in ("/library/new", "/library/some-guide/edit"):
        pattern = next(p for p in locations if "new" in p and "edit" in p)
        assert re.match(pattern.removeprefix("~").strip(), path)
    chunk = re.search(r"chunkSize:\s*(\d+) \* 1024 \* 1024", (ROOT / "static/js/upload.js").read_text())
    tus = locations["/library/uploads/"]
    assert body_limit(tus) >= int(chunk.group(1)) * MB and "proxy_request_buffering off" in tus
    server = text.split("location", 1)[0].rsplit("server {", 1)[1]
    assert body_limit(server) >= DRAIN_LIMIT  # the hub's own translated 413 page, not nginx's
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-Id"):
        assert f"proxy_set_header {header}" in text
    assert "listen 443 ssl" in text and "return 301 https://" in text


def test_nginx_serves_static_files_from_the_checkout_for_a_year():
    static = nginx_locations()["/static/"]
    folder = re.search(r"alias\s+(\S+);", static).group(1).rstrip("/")
    assert in_repo(folder) == ROOT / "static" and (ROOT / "static").is_dir()
    assert "immutable" in static and "365d" in static


def test_the_readme_points_at_the_deploy_files():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in [*UNITS, DEPLOY / "nginx.conf", DEPLOY / "gunicorn.conf.py"]:
        assert f"deploy/{path.name}" in readme, path.name
