"""Saved inbox filters: one person's named views of their inbox (name one, apply it, delete it).

A filter holds the inbox's own filters, checked here as the inbox checks them; the search text is
kept in the database (never in an address: applying a filter puts it in the session's search key).
"""
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...authz.claims import CLAIM_STATES
from ...extensions import db
from ...models.worklist import SavedInboxFilter
from ..errors import NotFound, ServiceError
from ..inbox import DUE_STATES, SORTS

MAX_NAME = 60
MAX_FILTERS = 20


class FilterRefused(ServiceError):
    """The filter cannot be saved as asked (`code`); nothing changed."""


def saved_filters(user):
    return db.session.execute(select(SavedInboxFilter).where(SavedInboxFilter.user_id == user.id)
                              .order_by(SavedInboxFilter.name, SavedInboxFilter.id)).scalars().all()


def saved_filter(user, filter_id):
    """The user's own filter; another person's is not found (404), as if it did not exist."""
    found = db.session.get(SavedInboxFilter, filter_id)
    if found is None or found.user_id != user.id:
        raise NotFound("no such filter of yours")
    return found


def _name(text):
    name = " ".join("".join(char for char in unicodedata.normalize("NFC", text or "")
                            if unicodedata.category(char) not in ("Cc", "Cf")).split())
    if not name:
        raise FilterRefused("no name", code="filter_name_missing")
    if len(name) > MAX_NAME:
        raise FilterRefused("name too long", code="filter_name_too_long", params={"max": MAX_NAME})
    return name


def save_filter(user, name, *, step=None, unit_id=None, due=None, sort="arrived", search=None, claim=None):
    """Keep the inbox's current filters under `name` (unique per person; at most MAX_FILTERS)."""
    name = _name(name)
    try:
        taken = db.session.execute(select(func.count()).where(
            SavedInboxFilter.user_id == user.id, SavedInboxFilter.name == name)).scalar()
        if taken:
            raise FilterRefused("name taken", code="filter_name_taken", params={"name": name})
        if db.session.execute(select(func.count()).where(SavedInboxFilter.user_id == user.id)).scalar() \
                >= MAX_FILTERS:
            raise FilterRefused("too many", code="too_many_filters", params={"max": MAX_FILTERS})
        saved = SavedInboxFilter(
            user_id=user.id, name=name, step=(step or None) and step[:100], unit_id=unit_id,
            due=due if due in DUE_STATES else None, sort=sort if sort in SORTS else "arrived",
            search=(search or None) and search[:100], claim=claim if claim in CLAIM_STATES else None)
        db.session.add(saved)
        db.session.commit()
        return saved
    except IntegrityError:  # the same name saved at the same moment (a double click): one filter
        db.session.rollback()
        raise FilterRefused("name taken", code="filter_name_taken", params={"name": name}) from None
    except Exception:
        db.session.rollback()
        raise


def delete_filter(user, filter_id):
    try:
        found = saved_filter(user, filter_id)
        name = found.name
        db.session.delete(found)
        db.session.commit()
        return name
    except Exception:
        db.session.rollback()
        raise
