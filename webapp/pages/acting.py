"""The role and unit the signed-in user acts in, kept in the session and shown on every page."""
from flask import redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..authz.need_to_know import may_search_citizen_id
from ..services import acting_role, acting_roles
from .labels import DUE_LABELS, STATUS_LABELS, role_label

SESSION_KEY = "acting_assignment_id"
_CACHE_KEY = "ketnap.acting"


def current_acting():
    """The picked role (or the only one the user holds); None when a choice is still needed.

    Asked by the before-request hook, the route and the templates: read once per request (kept in
    the request's environ, which no other request shares — `g` is shared by every request made in
    one held application context — with the user and the pick it was read for, so picking another
    role is seen at once).
    """
    if not current_user.is_authenticated:
        return None
    key = (current_user.get_id(), session.get(SESSION_KEY))
    cached = request.environ.get(_CACHE_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]
    acting = _read_acting()
    request.environ[_CACHE_KEY] = ((current_user.get_id(), session.get(SESSION_KEY)), acting)
    return acting


def _read_acting():
    picked = session.get(SESSION_KEY)
    if picked is not None:
        acting = acting_role(current_user.id, picked)
        if acting is not None:
            return acting
    roles = acting_roles(current_user.id)
    if len(roles) == 1:
        session[SESSION_KEY] = roles[0].assignment_id
        return roles[0]
    return None


def choose_acting_first():
    """Before-request hook: signed-in users with several roles pick one before anything else."""
    # The address first: static files and the health checks never load the user (no database query
    # per file, and a load balancer's probe answers the same with or without a session cookie).
    if request.endpoint in (None, "static", "favicon", "auth.acting", "auth.logout", "auth.login", "auth.language",
                            "health.healthz", "health.livez") or not current_user.is_authenticated:
        return None
    if current_acting() is None:
        return redirect(url_for("auth.acting", next=request.full_path))
    return None


def template_context():
    # may_search_citizen_id: the search boxes say a CCCD is searched too, for the roles it works for.
    return {"acting": current_acting(), "may_search_citizen_id": may_search_citizen_id, "role_label": role_label,
            "status_labels": STATUS_LABELS, "due_labels": DUE_LABELS, "lang": str(get_locale() or "vi")}
