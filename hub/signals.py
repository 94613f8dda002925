"""What happened, announced once by the feature where it happened; other features subscribe.

A feature sends a signal after its own flush, with the object it is about as the sender
(`signals.post_published.send(reply)`); notifications subscribe in create_app (hub/__init__.py,
`connect_signals`), so no feature imports the features that react to it. Receivers run inside the
sender's transaction: they flush, never commit.
"""

from blinker import Namespace

hub_signals = Namespace()

#: A discussion, reply or library item others can now see (posted, or approved by a moderator).
post_published = hub_signals.signal("post-published")
#: A post waits for a moderator's review (author=, community=).
review_requested = hub_signals.signal("review-requested")
#: A waiting post was approved or rejected.
review_decided = hub_signals.signal("review-decided")
#: A post, or an item, was hidden or deleted: what was said about it goes too.
post_withdrawn = hub_signals.signal("post-withdrawn")
#: Hidden content was deleted for good: what was derived from it (notifications, their mail) goes.
post_purged = hub_signals.signal("post-purged")
#: A hidden or deleted post is back.
post_restored = hub_signals.signal("post-restored")
#: Moderators decided about a post (author=, action=, reason=).
post_moderated = hub_signals.signal("post-moderated")
#: Someone reported a post or profile (post=, community=, urgent= True for a safety risk, or when flags
#: from several members hid it).
report_filed = hub_signals.signal("report-filed")
#: A report was closed (reporter=, post=, outcome=, gone= True when the post is hidden or deleted).
report_closed = hub_signals.signal("report-closed")
#: A reply became (or stopped being) the answer of its question (actor=).
answer_marked = hub_signals.signal("answer-marked")
#: Someone asks to join a community (the membership row).
join_requested = hub_signals.signal("join-requested")
#: A request to join was answered (actor=).
join_decided = hub_signals.signal("join-decided")
#: A person read a discussion up to a reply, further than before (reader=, upto= the reply id, 0: none).
discussion_read = hub_signals.signal("discussion-read")
#: A capacity survey round opened (actor=).
survey_round_opened = hub_signals.signal("survey-round-opened")
#: The secretariat introduced two organisations (actor=).
introduced = hub_signals.signal("introduced")
#: The secretariat reopened an organisation's submitted survey answers (the Submission; actor=).
answers_reopened = hub_signals.signal("answers-reopened")
#: The mail outbox dropped a message its reader may no longer see (the EmailOutbox row).
mail_dropped = hub_signals.signal("mail-dropped")
#: A learning session's time or place changed, or it was cancelled (change= 'time' | 'place' | 'cancelled',
#: people= everyone registered or waiting, actor=).
session_changed = hub_signals.signal("session-changed")
#: A session's recording or slides were attached (people= the registrants, actor=).
session_material_added = hub_signals.signal("session-material-added")
#: A seat freed and the first person on the waitlist has it now (person=).
seat_offered = hub_signals.signal("seat-offered")
#: A session starts soon: a person's reminder, sent once per lead time (person=, lead_minutes=).
session_reminder = hub_signals.signal("session-reminder")
#: A facilitator announced or declined a member's proposed session (person= the proposer, decision=
#: 'approved' | 'declined', actor=).
session_proposal_decided = hub_signals.signal("session-proposal-decided")
#: A focal point asked another organisation for a peer exchange (the Introduction; actor=).
exchange_requested = hub_signals.signal("exchange-requested")
#: A request for a peer exchange was accepted or declined (actor=).
exchange_answered = hub_signals.signal("exchange-answered")
#: A focal point named a peer organisation or a facilitator to confirm its answers (the AnswerReviewer; actor=).
reviewer_named = hub_signals.signal("reviewer-named")
