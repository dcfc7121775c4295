"""ketnap: the party-admission procedure as BPMN on SpiffWorkflow, behind a Flask front end."""
from flask import Flask

from . import cli, errors
from .config import ROOT, Config
from .extensions import db, migrate
from .health.routes import blueprint as health_blueprint


def create_app(config=None):
    """Wiring only: config → extensions → blueprints → CLI → error handlers."""
    app = Flask(__name__)
    settings = config if config is not None else Config()
    settings.check()
    app.config.from_mapping(settings.as_dict())

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))

    app.register_blueprint(health_blueprint)
    cli.register(app)
    errors.register(app)
    return app
