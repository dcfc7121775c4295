"""How gunicorn serves the app: `gunicorn -c python:webapp.serving` (scripts/run, docs/operations.md).

Every setting comes from `Config`, so webapp/config.py stays the only reader of the environment
(KETNAP_BIND, KETNAP_WORKERS, KETNAP_THREADS, KETNAP_GRACEFUL_SECONDS). gunicorn's own command-line
options still override these for a one-off run.

Pre-fork: the master process imports this module (and with it the `webapp` package) but never
creates the app, so no database connection and no sandbox worker exists before the fork; each
process builds its own app, engine pool and (lazily, at its first piece of diagram code) its own
sandbox pool. `preload_app` stays off for that reason.
"""
from .config import Config
from .engine import shutdown_sandbox

_settings = Config()
_settings.check()  # a bad configuration stops the master at once, not each worker in a restart loop

wsgi_app = "webapp:create_app()"
bind = [_settings.SERVER_BIND]
workers = _settings.SERVER_WORKERS
threads = _settings.SERVER_THREADS
worker_class = "gthread"  # threads in each process: a request waiting on the database holds no process
preload_app = False
# SIGTERM: stop accepting, let requests in flight finish for up to this long, then exit (SIGINT and
# SIGQUIT, Ctrl-C in a terminal, stop at once). The timeout is the silence after which the master
# kills a stuck process.
graceful_timeout = _settings.SERVER_GRACEFUL_SECONDS
timeout = max(30, _settings.SERVER_GRACEFUL_SECONDS)
accesslog = "-"  # addresses hold no personal data (docs/operations.md); one line per request on stdout
errorlog = "-"
proc_name = "ketnap"
# gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): two servers on one
# machine would take it from each other. Signals do what we need (docs/operations.md, "Serving").
control_socket_disable = True


def worker_exit(server, worker):
    """A server process stops (graceful end, restart, max-requests): its sandbox workers stop with it.

    They would also exit when their pipes close, but an explicit stop leaves nothing behind to reap.
    """
    shutdown_sandbox()
