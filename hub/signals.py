"""What happened, announced by the feature where it happened; other features subscribe.

A feature sends a signal after its own flush (`signals.post_published.send(app, post=post)`);
notifications, feeds and the audit connect their receivers explicitly in create_app
(hub/__init__.py, `connect_signals`), so no feature imports the features that react to it.
Receivers run inside the sender's transaction: they flush, never commit.
"""

from blinker import Namespace

hub_signals = Namespace()

#: The mail outbox dropped a message the recipient may no longer see (row=EmailOutbox).
mail_dropped = hub_signals.signal("mail-dropped")
