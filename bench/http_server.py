"""gunicorn configuration for bench/http_bench.py: production's (webapp/serving.py) plus two bench-only headers.

`gunicorn -c python:bench.http_server`: every setting of webapp/serving.py, and in each server
process a count of the SQL statements each request sent (a SQLAlchemy event on every engine,
per thread) returned as `X-Statements`, and the process id as `X-Worker-Pid` (the bench reads its
memory from /proc). Production never loads this module: nothing is counted there.
"""
import os
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine

from webapp.serving import *  # noqa: F403 — the production settings and hooks, unchanged
from webapp.serving import worker_exit  # noqa: F401 — named, so a reader sees the hook is kept

_counted = threading.local()


def _count(*_args):
    _counted.statements = getattr(_counted, "statements", 0) + 1


class _Counting:
    """WSGI middleware: the statements the request sent, as a response header."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        _counted.statements = 0

        def counted_start(status, headers, exc_info=None):
            headers = [*headers, ("X-Statements", str(_counted.statements)), ("X-Worker-Pid", str(os.getpid()))]
            return start_response(status, headers, exc_info)

        return self.app(environ, counted_start)


def post_worker_init(worker):
    event.listen(Engine, "before_cursor_execute", _count)
    worker.wsgi = _Counting(worker.wsgi)
