"""Each word of the vocabulary and each number is defined once; what must repeat it is checked (issue 16)."""
from datetime import datetime
from importlib import import_module
from zoneinfo import ZoneInfo

from webapp.config import Config
from webapp.models.process import INSTANCE_STATUSES
from webapp.pages import formatting
from webapp.pages.labels import STATUS_LABELS
from webapp.services import clock, deployments, progress

inbox = import_module("webapp.services.inbox")  # the package exports a function of that name


def test_the_case_filter_accepts_exactly_the_statuses_a_case_can_have():
    assert inbox.CASE_STATUSES is INSTANCE_STATUSES


def test_every_status_has_a_label_and_every_label_a_status():
    assert set(STATUS_LABELS) == set(INSTANCE_STATUSES)


def test_finished_statuses_are_defined_once_and_are_statuses():
    assert deployments.FINISHED is progress.FINAL_STATUSES
    assert set(progress.FINAL_STATUSES) <= set(INSTANCE_STATUSES)


def test_the_time_zone_is_defined_once_and_babel_names_the_same_offset():
    assert formatting.VIETNAM is clock.VIETNAM
    babel_zone = ZoneInfo(Config({}).BABEL_DEFAULT_TIMEZONE)
    for moment in (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12)):  # no summer time either way
        assert moment.replace(tzinfo=babel_zone).utcoffset() == clock.VIETNAM.utcoffset(None)
