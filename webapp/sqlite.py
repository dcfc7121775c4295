"""Make the embedded SQLite behave like PostgreSQL where the application relies on it.

- Transactions: pysqlite opens transactions lazily and ignores SAVEPOINT semantics, so a batch
  whose later row fails could leave an earlier row committed. SQLAlchemy's documented recipe
  hands transaction control back to SQLAlchemy (BEGIN on begin, autocommit off in the driver).
- `lower()`: SQLite folds only ASCII; searches by Vietnamese names need Unicode folding.
"""
from sqlalchemy import event


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def adapt(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")
