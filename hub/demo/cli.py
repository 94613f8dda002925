"""`flask --app hub demo load`: plausible, fictional content to try the hub with. Safe to run again."""

import click
from flask.cli import AppGroup

from hub import permissions
from hub.accounts import two_factor
from hub.accounts.models import ACTIVE, User
from hub.accounts.services import find_by_email
from hub.communities import demo as communities_demo
from hub.db import utcnow
from hub.demo import people as demo_people
from hub.demo.organisations import ORGANISATIONS
from hub.discussions import demo as discussions_demo
from hub.extensions import db
from hub.learning_sessions import demo as sessions_demo
from hub.library import demo as library_demo
from hub.desk import demo as moderation_demo
from hub.notifications import demo as notifications_demo
from hub.organisations.services import create_organisation, get_by_slug
from hub.slugs import unique_slug
from hub.survey import demo as survey_demo
from hub.survey import plan_demo as survey_plan_demo
from hub.survey.services import previous_round

DEMO_PASSWORD = "learning-hub-demo"
#: The demo secretariat's authenticator secret (public, like the password; see README "Demo accounts").
DEMO_TOTP_SECRET = "LEARNINGHUBDEMOSECRETARIAT234567"

# (email, name, organisation slug, roles, interface language, time zone)
ACCOUNTS = [
    ("secretariat@example.org", "Amina Diallo", "ei", {"is_secretariat": True}, "en", "Europe/Brussels"),
    ("facilitator@example.org", "Wanjiru Kamau", "ecn-kenya", {}, "en", "Africa/Nairobi"),
    ("member@example.org", "Lucía Fernández", "foro-peru", {}, "es", "America/Lima"),
    ("focal@example.org", "Claire Martin", "coalition-france", {"is_focal_point": True}, "fr", "Europe/Paris"),
    ("moussa@example.org", "Moussa Ndiaye", "cse-senegal", {"is_focal_point": True}, "fr", "Africa/Dakar"),
    ("layla@example.org", "Layla Haddad", "lebanon-network", {"is_focal_point": True}, "ar", "Asia/Beirut"),
    ("joao@example.org", "João Macuácua", "rede-mocambique", {}, "pt", "Africa/Maputo"),
    ("rahim@example.org", "Rahim Chowdhury", "bangladesh-campe", {"is_focal_point": True}, "en", "Asia/Dhaka"),
] + [(email, name, slug, {}, locale, tz) for email, name, slug, locale, tz, *_ in demo_people.MEMBERS]
#: What the demo accounts know (their profiles' expertise): the home page finds questions on its themes.
EXPERTISE = {"facilitator@example.org": "Education financing and budget tracking with district offices",
             "member@example.org": "Privatisation, school fees and inclusion",
             "focal@example.org": "Teachers and education financing",
             "moussa@example.org": "Teachers and parliamentary advocacy",
             "layla@example.org": "Education in emergencies, gender and girls' education",
             "joao@example.org": "Youth and adult learning; emergencies after cyclones",
             "rahim@example.org": "SDG 4 monitoring and climate education"} | {
    email: expertise for email, *_, expertise, _joined in demo_people.MEMBERS}

demo_cli = AppGroup("demo", help="Demo content.")


def load_organisations() -> dict[str, object]:
    """Create or update the demo organisations; returns them by slug."""
    by_slug = {}
    for slug, name, acronym, kind, country, languages, description in ORGANISATIONS:
        org = get_by_slug(slug)
        fields = dict(acronym=acronym, type=kind, working_languages=languages, description=description,
                      website=f"https://{slug}.example.org")
        if org is None:
            org = create_organisation(name, country, slug=slug, **fields)
        else:
            org.name, org.status, org.deleted_at = name, "active", None
            for key, value in fields.items():
                setattr(org, key, value)
        by_slug[slug] = org
    return by_slug


def load_accounts(organisations) -> dict[str, User]:
    """Create the demo accounts (all active, all with the demo password)."""
    people, password_hash = {}, None
    for email, name, slug, roles, locale, tz in ACCOUNTS:
        user = find_by_email(email)
        if user is None:
            user = User(email=email, name=name, handle=unique_slug(User, name, column="handle"))
            if password_hash is None:  # hashing is slow on purpose; the demo password is public anyway
                user.set_password(DEMO_PASSWORD)
                password_hash = user.password_hash
            user.password_hash = password_hash
            db.session.add(user)
        user.organisation = organisations[slug]
        user.status, user.email_verified_at = ACTIVE, user.email_verified_at or utcnow()
        user.approved_at = user.approved_at or utcnow()
        user.locale, user.timezone = locale, tz
        user.languages = user.languages or sorted({locale, "en"})
        user.expertise = user.expertise or EXPERTISE.get(email, "")
        for role, value in roles.items():
            setattr(user, role, value)
        if permissions.is_secretariat(user) and not user.has_two_factor:  # the desk asks staff for a second factor
            db.session.flush()
            two_factor.enable(user, DEMO_TOTP_SECRET, 0)
        people[email] = user
    db.session.flush()
    return people


@demo_cli.command("load")
def load():
    """Load the demo organisations and accounts (idempotent)."""
    organisations = load_organisations()
    people = load_accounts(organisations)
    communities = communities_demo.load(people, organisations)
    demo_people.join_communities(people)
    discussions_demo.load(people, communities)
    survey_round = survey_demo.load(people, organisations)
    survey_plan_demo.load(people, organisations, survey_round, previous_round(survey_round))
    library_demo.load(people, organisations)
    sessions_demo.load(people)
    notifications_demo.load(people)
    moderation_demo.load(people)
    notifications_demo.settle_backlog(people)
    db.session.commit()
    click.echo(f"Demo content ready: {len(organisations)} organisations, {len(people)} accounts "
               f"(password: {DEMO_PASSWORD}; the secretariat's authenticator secret: {DEMO_TOTP_SECRET}).")
