"""Health for operators and load balancers: /healthz (ready: the database answers), /livez (the process runs)."""
from flask import Blueprint, jsonify

from ..services import health_report

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    """200 when the database answers, 503 when not: a load balancer sends no one to a server that cannot work."""
    report = health_report()
    return jsonify(report), 200 if report["database"] == "ok" else 503


@blueprint.get("/livez")
def livez():
    """The process answers HTTP; needs no database (restart a server only when this fails, not /healthz)."""
    return jsonify({"alive": True})
