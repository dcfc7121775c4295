"""A case of a second startable process (issue 17) across versions: it moves with its own process, and
stays where it is when the target version no longer has that process (no error, nothing changed)."""
from datetime import date
from pathlib import Path

from webapp.extensions import db
from webapp.models import ProcessInstance
from webapp.services import deploy_replacements, register_and_start
from webapp.services.deployments import migrate_cases, migration_preview
from webapp.services.startable import set_startable

TWENTY = Path(__file__).resolve().parents[1] / "data" / "foreign" / "twenty_steps"
CELL = "TQ-LN-THPT"


def _twenty_case(world):
    admin = world.users["admin"]
    files = {p.name: p.read_bytes() for p in TWENTY.iterdir() if p.suffix in (".bpmn", ".json")}
    assert not deploy_replacements(admin, files, "20 bước").problems
    db.session.commit()
    set_startable(admin, "twenty_steps", enabled=True, roles=["cell_secretary"], unit_code=CELL, unit_kinds=[])
    cell = world.cells[CELL]
    return register_and_start(world.users[(CELL, "cell_secretary")], cell.id, {
        "full_name": "Lò Văn Pá", "date_of_birth": date(2007, 5, 2), "sex": "M", "citizen_id": "001207099887",
        "school": "Trường THPT Lộc Ninh", "class_name": "12A3"}, process_id="twenty_steps")


def test_a_case_moves_with_its_own_process_or_stays_when_the_target_lacks_it(world):
    admin = world.users["admin"]
    case = _twenty_case(world)
    first = case.version_id
    # A new version with a changed step label: the case moves, still on its own process.
    source = (TWENTY / "twenty_steps.bpmn").read_text(encoding="utf-8").replace('name="Bước 20"', 'name="Bước cuối"')
    changed = deploy_replacements(admin, {"twenty_steps.bpmn": source.encode()}, "đổi tên bước 20").version
    db.session.commit()
    assert [row.safe for row in migration_preview(admin, changed.id)] == [True]
    assert migrate_cases(admin, changed.id, [case.id]) == [case.id]
    # A version without the diagram: the preview says it cannot move, and a POST of it moves nothing.
    removed = deploy_replacements(admin, {}, "bỏ quy trình 20 bước", removed=("twenty_steps.bpmn",)).version
    db.session.commit()
    assert [row.safe for row in migration_preview(admin, removed.id)] == [False]
    assert migrate_cases(admin, removed.id, [case.id]) == []
    db.session.expire_all()
    moved = db.session.get(ProcessInstance, case.id)
    assert moved.version_id == changed.id != first and moved.process_id == "twenty_steps"
