"""Liveness for operators: is the database reachable, which version runs, is the timer worker behind."""
from flask import Blueprint, jsonify

from ..services import health_report

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    report = health_report()
    return jsonify(report), 200 if report["database"] == "ok" else 503
