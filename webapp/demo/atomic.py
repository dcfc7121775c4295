"""One transaction around work whose services commit as they go (the demo seed, issue 17).

The services commit each use case (start a case, complete a task, fire timers). Seeding the demo
runs hundreds of them, and must leave nothing behind when one fails. So, for the duration, the
session works on one connection inside one outer transaction, and each service's commit only
releases a savepoint (`join_transaction_mode="create_savepoint"`); at the end the outer
transaction is committed, or rolled back with everything in it.
"""
from contextlib import contextmanager

from flask_sqlalchemy.session import Session

from ..extensions import db


class _PinnedSession(Session):
    """Flask-SQLAlchemy's session, but every statement on the one connection it was given."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@contextmanager
def all_or_nothing():
    """Everything `db.session` does inside, its commits included, is kept only if the block ends normally."""
    db.session.remove()
    connection = db.engine.connect()
    outer = connection.begin()
    session = _PinnedSession(db, bind=connection, join_transaction_mode="create_savepoint")
    db.session.registry.set(session)
    try:
        yield
        session.commit()
        outer.commit()
    except BaseException:
        session.rollback()
        outer.rollback()
        raise
    finally:
        session.close()
        db.session.registry.clear()
        connection.close()
