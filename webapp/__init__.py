"""ketnap: the party-admission procedure as BPMN on SpiffWorkflow, behind a Flask front end."""
from flask import Flask, session

from . import cli, errors, sqlite
from .admin.routes import blueprint as admin_blueprint
from .audit.routes import blueprint as audit_blueprint
from .auth import addresses
from .auth.routes import blueprint as auth_blueprint
from .cases.routes import blueprint as cases_blueprint
from .config import ROOT, Config
from .deputies.routes import blueprint as deputies_blueprint
from .documents.routes import blueprint as documents_blueprint
from .engine import SandboxLimits, configure_sandbox
from .extensions import babel, csrf, db, login_manager, migrate
from .health.routes import blueprint as health_blueprint
from .notices.routes import blueprint as notices_blueprint
from .pages import converters, formatting, headers, problems, static_files
from .pages.acting import choose_acting_first, template_context
from .registers.routes import blueprint as registers_blueprint
from .reports.routes import blueprint as reports_blueprint
from .tasks.routes import blueprint as tasks_blueprint
from .tasks.worklist import blueprint as worklist_blueprint
from .verification.routes import blueprint as verification_blueprint

MAX_UPLOAD_BYTES = 11 * 1024 * 1024  # a 10 MB scan plus the form around it


def _locale():
    return session.get("lang", "vi")


def create_app(config=None):
    """Wiring only: config → extensions → blueprints → CLI → error handlers."""
    app = Flask(__name__)
    app.url_map.converters["int"] = converters.DatabaseIntConverter  # before any route is added
    settings = config if config is not None else Config()
    settings.check()
    app.config.from_mapping(settings.as_dict())
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    configure_sandbox(SandboxLimits(time_budget=settings.SCRIPT_SECONDS, memory_mb=settings.SCRIPT_MEMORY_MB,
                                    workers=settings.SCRIPT_WORKERS, max_cardinality=settings.SCRIPT_MAX_CARDINALITY))
    addresses.register(app)  # ProxyFix when KETNAP_TRUSTED_PROXIES says there are proxies

    db.init_app(app)
    with app.app_context():
        sqlite.adapt(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale, default_translation_directories=str(ROOT / "webapp" / "translations"))

    for blueprint in (health_blueprint, auth_blueprint, tasks_blueprint, worklist_blueprint, cases_blueprint,
                      verification_blueprint, audit_blueprint, admin_blueprint, registers_blueprint, reports_blueprint,
                      documents_blueprint, notices_blueprint, deputies_blueprint):
        app.register_blueprint(blueprint)
    app.before_request(choose_acting_first)
    app.context_processor(template_context)
    formatting.register(app)
    problems.register(app)
    headers.register(app)
    static_files.register(app)
    cli.register(app)
    errors.register(app)
    return app
