"""Security notices to a person about their own account, by email in their language.

One small function per notice, each ending in one send_email call, so the delivery can be re-pointed
(to an outbox, say) in one place. The texts are lazy: they are translated inside the mail's language.
"""

from flask import request
from flask_babel import lazy_gettext as _l

from hub.accounts.models import User
from hub.accounts.sessions import describe
from hub.mail import absolute_url, send_email


def _send(user: User, subject, lines, link: str | None = None, to: str | None = None) -> bool:
    return send_email(to or user.email, "account_notice", user.locale, user=user, subject_text=subject,
                      lines=lines, link=link)


def _not_you():
    return _l("If this was not you, reset your password now: every session then ends.")


def password_changed(user: User) -> bool:
    return _send(user, _l("Your Learning Hub password was changed"),
                 [_l("The password of your account was just changed."), _not_you()],
                 absolute_url("accounts.forgot_password"))


def email_change_requested(user: User, new_email: str, stop_link: str) -> bool:
    """To the old address: a change was asked for, and a link stops it."""
    return _send(user, _l("Someone asked to change your Learning Hub email"),
                 [_l("Someone signed in to your account asked to change its email to %(email)s.", email=new_email),
                  _l("If this was not you, open this link to stop the change and sign out everywhere:")],
                 stop_link)


def second_factor_added(user: User) -> bool:
    return _send(user, _l("Two-factor sign-in is on"),
                 [_l("Two-factor sign-in was turned on for your account."), _not_you()],
                 absolute_url("accounts.forgot_password"))


def second_factor_removed(user: User, by_secretariat: bool = False) -> bool:
    lines = [_l("The secretariat reset two-factor sign-in for your account: you can set it up again.")
             if by_secretariat else _l("Two-factor sign-in was turned off for your account."), _not_you()]
    return _send(user, _l("Two-factor sign-in is off"), lines, absolute_url("accounts.forgot_password"))


def new_device(user: User) -> bool:
    browser, platform = describe(request.user_agent.string)
    return _send(user, _l("New sign-in to your Learning Hub account"),
                 [_l("Your account was just signed in from a device not seen before: %(device)s.",
                     device=" · ".join(filter(None, (browser, platform))) or _l("unknown browser")),
                  _l("If this was you, there is nothing to do. If not, sign that device out and change "
                     "your password:")],
                 absolute_url("accounts_devices.index"))


def account_exists(email: str, user: User) -> bool:
    """Someone tried to register with an address that has an account: its owner is told, nobody else."""
    return _send(user, _l("You already have a Learning Hub account"),
                 [_l("Someone tried to create an account with this email address, which already has one."),
                  _l("If it was you, sign in, or choose a new password here:")],
                 absolute_url("accounts.forgot_password"), to=email)
