"""gunicorn's settings come from the configuration (webapp/serving.py reads Config, never os.environ)."""
import importlib

import pytest

import webapp.serving
from webapp.config import Config, ConfigurationError


@pytest.fixture()
def serving(monkeypatch):
    def load(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(webapp.serving)
    yield load
    monkeypatch.undo()
    importlib.reload(webapp.serving)


def test_processes_threads_address_and_grace_come_from_the_environment_through_config(serving):
    module = serving(KETNAP_BIND="0.0.0.0:8123", KETNAP_WORKERS="3", KETNAP_THREADS="6",
                     KETNAP_GRACEFUL_SECONDS="45")
    assert (module.bind, module.workers, module.threads, module.graceful_timeout) == (["0.0.0.0:8123"], 3, 6, 45)
    assert module.worker_class == "gthread" and module.preload_app is False  # nothing built before the fork
    assert module.wsgi_app == "webapp:create_app()"
    assert module.control_socket_disable  # several servers on one machine would share one socket path
    assert module.timeout >= module.graceful_timeout


def test_the_defaults_suit_this_two_core_machine(serving):
    module = serving()
    assert (module.bind, module.workers, module.threads, module.graceful_timeout) == (["127.0.0.1:5000"], 2, 4, 30)


@pytest.mark.parametrize(("name", "value"), [("KETNAP_WORKERS", "two"), ("KETNAP_WORKERS", "0"),
                                             ("KETNAP_THREADS", "-1"), ("KETNAP_GRACEFUL_SECONDS", "1.5"),
                                             ("KETNAP_DATABASE_CONNECT_SECONDS", "0")])
def test_a_bad_number_stops_the_start_naming_the_setting(serving, name, value):
    with pytest.raises(ConfigurationError, match=name):
        serving(**{name: value})


def test_a_bad_environment_name_stops_the_master_before_any_worker(serving):
    with pytest.raises(ConfigurationError, match="KETNAP_ENV"):
        serving(KETNAP_ENV="prod")


def test_postgresql_connections_give_up_after_the_connect_timeout():
    postgres = Config({"DATABASE_URL": "postgresql+psycopg://ketnap@db/ketnap", "KETNAP_DATABASE_CONNECT_SECONDS": "3"})
    assert postgres.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] == {"connect_timeout": 3}
    assert "connect_args" not in Config({"DATABASE_URL": "sqlite:///x.sqlite3"}).SQLALCHEMY_ENGINE_OPTIONS
