"""Running the hub: backups and restores, the production doctor, request ids, logs and metrics."""

from hub.operations import metrics, requestlog


def register(app) -> None:
    """Request ids and logs first (every later hook logs with the id), then request metrics and /metrics."""
    requestlog.register(app)
    metrics.register(app)
