"""The Learning Hub: create_app() wires configuration, extensions, blueprints and commands."""

from pathlib import Path

from flask import Flask

from hub import audit, config, errors, extensions, i18n, inputs, kinds, links, mail, permissions, security, signals
from hub import static_files
from hub.accounts import export as account_export
from hub.accounts.devices import bp as devices_bp
from hub.accounts.people import bp as people_bp
from hub.accounts.settings import bp as account_bp
from hub.accounts.views import bp as accounts_bp
from hub.communities import services as community_services
from hub.communities.views import add_page_block
from hub.communities.views import bp as communities_bp
from hub.core.views import bp as core_bp
from hub.demo.cli import demo_cli
from hub.desk import bp as desk_bp
from hub.desk import services as desk_services
from hub.discussions import services as discussion_services
from hub.discussions.actions import bp as discussion_actions_bp
from hub.discussions.views import bp as discussions_bp
from hub.discussions.views import community_page_discussions
from hub.extensions import babel, compress, csrf, limiter, login_manager, migrate
from hub.jobs.cli import jobs_cli
from hub.learning_sessions import services as session_services
from hub.learning_sessions.cli import sessions_cli
from hub.learning_sessions.views import bp as learning_sessions_bp
from hub.learning_sessions.views import community_page_sessions
from hub.library import services as library_services
from hub.library.cli import library_cli
from hub.library.views import bp as library_bp
from hub.library.views import recent_library_items
from hub.notifications import digest
from hub.notifications import services as notifications
from hub.notifications.cli import notifications_cli
from hub.notifications.feeds import bp as feeds_bp
from hub.notifications.views import bp as notifications_bp
from hub.operations import register as register_operations
from hub.operations.cli import backup_cli, doctor_command
from hub.organisations.views import bp as organisations_bp
from hub.search import outbox as search_outbox
from hub.search.cli import search_cli
from hub.search.views import bp as search_bp
from hub.survey import services as survey_services
from hub.survey.exchange_views import bp as exchanges_bp
from hub.survey.map_views import bp as capacity_map_bp
from hub.survey.plan_views import bp as plans_bp
from hub.survey.views import bp as survey_bp
from hub.survey.change_views import bp as capacity_change_bp
from hub.survey.interop_views import bp as survey_interop_bp

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None, instance_path=None):
    """Build the hub: defaults, then instance/config.py, then HUB_* variables (tests pass a mapping)."""
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True,
                template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    app.config.from_object(config.Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("HUB")
    else:
        app.config.from_mapping(test_config)
    config.finish(app)

    inputs.register(app)  # the request class and URL converters, before any blueprint adds a rule
    register_operations(app)  # request ids (first, so every later hook logs with one), metrics, /metrics
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    connect_signals()
    add_export_parts()
    add_community_page_blocks()
    app.add_template_global(permissions, "permissions")  # pages ask the same predicates as the views
    app.add_template_global(links.LinkPattern, "link_pattern")  # lists build a row's link once per page
    errors.register(app)
    security.register(app)
    static_files.register(app)
    return app


def register_extensions(app):
    # `extensions.db`, not `db`: a name `db` here would hide the hub.db module (migrations import it).
    extensions.db.init_app(app)
    migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    compress.init_app(app)  # registered first, so its after_request runs last, on the final body
    limiter.init_app(app)
    i18n.register(app)
    search_outbox.register()  # content changes write the search outbox in their own transaction
    # Mail is sent after commit, if its reader may still see it; features' own mail carries the
    # notifications' unsubscribe link.
    mail.init_app(app, may_see=kinds.may_see, unsubscribe=notifications.unsubscribe_for)
    audit.use_kind_names(kinds.name_of)  # entries say 'item', 'person' as every other feature does


def register_blueprints(app):
    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(devices_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(capacity_map_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(exchanges_bp)
    app.register_blueprint(capacity_change_bp)
    app.register_blueprint(survey_interop_bp)
    app.register_blueprint(communities_bp)
    app.register_blueprint(discussions_bp)
    app.register_blueprint(discussion_actions_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(learning_sessions_bp)


def connect_signals():
    """Who hears what another feature announces (hub/signals.py); connecting twice is harmless."""
    for signal, receiver in (
            (signals.post_published, notifications.post_published),
            (signals.review_requested, notifications.review_requested),
            (signals.review_decided, notifications.review_decided),
            (signals.post_withdrawn, notifications.withdraw_for),
            (signals.post_restored, notifications.restore_for),
            (signals.post_purged, notifications.forget_content),
            (signals.post_moderated, notifications.moderated),
            (signals.report_closed, notifications.report_closed),
            (signals.report_filed, notifications.report_filed),
            (signals.answer_marked, notifications.answer_marked),
            (signals.discussion_read, notifications.discussion_read),
            (signals.join_requested, notifications.join_requested),
            (signals.join_decided, notifications.join_decided),
            (signals.survey_round_opened, notifications.survey_round_opened),
            (signals.introduced, notifications.introduced),
            (signals.mail_dropped, digest.rebuild_dropped),
            (signals.session_changed, notifications.session_changed),
            (signals.session_material_added, notifications.session_material_added),
            (signals.seat_offered, notifications.seat_offered),
            (signals.session_reminder, notifications.session_reminder),
            (signals.session_proposal_decided, notifications.session_proposal_decided),
            (signals.exchange_requested, notifications.exchange_requested),
            (signals.exchange_answered, notifications.exchange_answered),
            (signals.reviewer_named, notifications.reviewer_named),
            (signals.answers_reopened, notifications.answers_reopened)):
        signal.connect(receiver)


def add_export_parts():
    """What a person's data export holds beyond their account, feature by feature (hub/accounts/export.py)."""
    for feature in (community_services, discussion_services, library_services, survey_services,
                    desk_services, notifications, session_services):
        account_export.add_part(feature.personal_data, covers=feature.PERSONAL_DATA_COVERS)


def add_community_page_blocks():
    """What discussions and the library show on a community page (communities sit below them)."""
    add_page_block("discussions", community_page_discussions)
    add_page_block("library_items", recent_library_items)
    add_page_block("learning_sessions", community_page_sessions)


def register_commands(app):
    app.cli.add_command(demo_cli)
    app.cli.add_command(i18n.translate_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(library_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(sessions_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(doctor_command)
