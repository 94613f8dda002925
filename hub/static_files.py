"""Static files are addressed by a hash of their content, so browsers may cache them for a year."""

import hashlib
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=256)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def register(app) -> None:
    static_root = Path(app.static_folder)

    @app.url_defaults
    def add_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = static_root / values["filename"]
            if path.is_file():
                values["v"] = _digest(str(path), path.stat().st_mtime)
