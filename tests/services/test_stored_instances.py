"""Stored workflow documents keep working: an engine upgrade must not silently break them.

tests/data/instances/ holds documents saved at several stages: <stage>.json by 1.5+specref (plain
JSON, before migration 0012), <stage>--zlib.json by 1.5+specref+zlib (the compressed bytes, in
base64). Write fixtures for a new serializer version only on purpose, with
KETNAP_WRITE_INSTANCE_FIXTURES=1 (it writes <stage>--zlib.json; keep the older files).
"""
import base64
import json
import os
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from webapp.demo.answers import answers_for
from webapp.engine import SERIALIZER_VERSION, CaseWorkflow, load_process
from webapp.taskforms import load_definitions_from_dir

from .helpers import instance

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "instances"
STAGES = {
    "at_verification": "record_verification",
    "at_cell_vote": "record_cell_vote",
    "at_decision": "decide_admission",
    "on_probation": "timer",
}
EXPECTED_NEXT = {
    "at_verification": "record_verification",
    "at_cell_vote": "appraise_file",
    "at_decision": "hold_ceremony",
}


@pytest.mark.skipif(not os.environ.get("KETNAP_WRITE_INSTANCE_FIXTURES"), reason="fixtures are written on purpose")
def test_write_instance_fixtures(start_case, driver):
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, until in STAGES.items():
        case = start_case(citizen_id=name)
        driver.run(case.id, until=until)
        stored = instance(case.id)
        files = {p.name: p.read_text() for p in (ROOT / "processes").glob("*.bpmn")}
        (FIXTURES / f"{name}--zlib.json").write_text(json.dumps(
            {"serializer_version": stored.serializer_version,
             "serialized_base64": base64.b64encode(stored.serialized).decode(), "files": files}, ensure_ascii=False))


def _fixture_files():
    return sorted(FIXTURES.glob("*.json"))


def _stored_document(stored):
    """The document as the column held it: plain JSON text (1.5+specref) or compressed bytes (…+zlib)."""
    if "serialized_base64" in stored:
        return base64.b64decode(stored["serialized_base64"])
    return json.dumps(stored["serialized"])


def test_there_are_fixtures_for_the_current_serializer():
    versions = {json.loads(p.read_text())["serializer_version"] for p in _fixture_files()}
    assert SERIALIZER_VERSION in versions
    assert "1.5+specref" in versions  # the documents stored before 0014 stay readable


def test_the_stored_document_is_compressed_json():
    """A finished stage's document takes a seventh of its JSON (issue 14: 76 KiB for a finished case)."""
    for path in FIXTURES.glob("*--zlib.json"):
        document = _stored_document(json.loads(path.read_text()))
        assert document[:1] == b"x"  # a zlib stream
        assert len(document) * 5 < len(zlib.decompress(document))


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.stem)
def test_a_stored_instance_restores_and_moves_on(path):
    stored = json.loads(path.read_text())
    # The version's diagrams are stored with the document, as process_version stores them.
    loaded = load_process({name: text.encode() for name, text in stored["files"].items()}, "admission")
    case = CaseWorkflow.restore(_stored_document(stored), loaded)
    forms = load_definitions_from_dir(ROOT / "forms")
    ready = case.ready_user_tasks()
    if not ready:
        assert case.next_timer_at() is not None
        case.fire_due_timers(now=case.next_timer_at() + timedelta(minutes=1))
        assert [t.spec_name for t in case.ready_user_tasks()] == ["write_self_review"]
        return
    task = ready[0]
    form = forms[task.properties["formJsonSchemaFilename"].removesuffix(".schema.json")]
    data = {spec.name: None for spec in form.fields} | answers_for(form.name, date(2026, 6, 1))
    case.complete(task.id, data, now=datetime(2026, 6, 1, 3, tzinfo=UTC))
    assert EXPECTED_NEXT[path.stem.removesuffix("--zlib")] in [t.spec_name for t in case.ready_user_tasks()]
