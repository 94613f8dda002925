"""The desk: reports and the moderation queue, the audit log, people, organisation merges and the dashboard.

One blueprint, `desk` (defined in views.py); people.py, registrations.py, organisations.py, replies.py and
dashboard.py add their pages to it, so importing the package brings every desk page.
"""

from hub.desk import dashboard, organisations, people, registrations, replies, triage_views  # noqa: F401  (their pages join the blueprint)
from hub.desk.views import bp  # noqa: F401
