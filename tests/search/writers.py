"""Run in separate processes by test_concurrency: each writes organisations, committing one by one."""

from hub import create_app
from hub.extensions import db
from hub.organisations.services import create_organisation


def write_organisations(database_url: str, instance_path: str, prefix: str, count: int, barrier) -> None:
    """Create `count` organisations, one commit each; every commit applies its change to the index."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SEARCH_SYNC": True}, instance_path=instance_path)
    with app.app_context():
        barrier.wait(timeout=60)
        for n in range(count):
            create_organisation(f"{prefix} concurrent network {n}", "KE", description=f"{prefix} writer")
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
