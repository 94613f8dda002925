"""Every "may this person do this to this object?" answered by one small, named predicate.

Views ask these, never the roles directly, so a test can walk every route against every role.
Anonymous visitors arrive as Flask-Login's AnonymousUserMixin: is_authenticated is False.
"""


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_secretariat(user) -> bool:
    return is_signed_in(user) and user.is_secretariat


def is_focal_point_of(user, organisation) -> bool:
    return (is_signed_in(user) and user.is_focal_point and organisation is not None
            and user.organisation_id == organisation.id)


def can_view_organisation(user, organisation) -> bool:
    """Listed organisations are public; proposed or deleted ones only for the secretariat."""
    return organisation.is_listed or is_secretariat(user)


def can_edit_organisation(user, organisation) -> bool:
    return is_secretariat(user) or is_focal_point_of(user, organisation)


def can_review_registrations(user) -> bool:
    """Focal points review their own organisation's registrations; the secretariat all of them."""
    return is_secretariat(user) or (is_signed_in(user) and user.is_focal_point)


def can_approve(user, applicant) -> bool:
    """Approve or decline a pending account."""
    if not is_signed_in(user) or applicant.id == user.id or not applicant.is_pending:
        return False
    if is_secretariat(user):
        return True
    return is_focal_point_of(user, applicant.organisation) and bool(
        applicant.organisation and applicant.organisation.is_listed)


def can_view_profile(user, person) -> bool:
    """Profiles of active people are visible to signed-in members; the secretariat sees everyone."""
    if is_secretariat(user) or (is_signed_in(user) and user.id == person.id):
        return True
    return is_signed_in(user) and person.is_active
