"""Make the embedded SQLite behave like PostgreSQL where the application relies on it.

- Savepoints: pysqlite begins a transaction only before a data-changing statement, so a batch
  whose first statement is a SAVEPOINT ran outside any transaction and releasing that savepoint
  committed the first row even when a later row failed. A transaction is begun explicitly
  before a savepoint when none is open. (Reads still take no lock, as pysqlite intends, so a
  reader never blocks a writer.)
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
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "savepoint")
    def _before_savepoint(connection, name):
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")
