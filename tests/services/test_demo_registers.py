"""The demo's registers (issue 10): every demo cell and committee keeps a register whose counts
match its unit record, also after the demo cases entered their members, and the demo cases were
decided on those registers — each vote's counts checked against the register, none overridden."""
from datetime import UTC, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import HumanTask, OrgUnit
from webapp.services.clock import VIETNAM
from webapp.services.register.counting import register_totals


def test_seeded_registers_match_the_unit_records_and_decided_the_votes(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    today = datetime.now(UTC).astimezone(VIETNAM).date()  # the seed's day
    totals = register_totals(today)
    units = db.session.execute(sa.select(OrgUnit)).scalars().all()
    for unit in units:
        if unit.kind in ("cell", "grassroots_cell"):
            assert totals.get((unit.id, "cell")) == unit.official_members, unit.code
        if unit.kind in ("grassroots_committee", "subcommittee"):
            assert totals.get((unit.id, "committee")) == unit.committee_members, unit.code

    votes = db.session.execute(sa.select(HumanTask).where(HumanTask.status == "completed", HumanTask.spec_name.in_(
        ("record_cell_vote", "record_committee_vote", "decide_admission", "decide_admission_delegated",
         "decide_recognition", "decide_recognition_delegated")))).scalars().all()
    assert len(votes) > 20
    for vote in votes:
        facts = [value for key, value in vote.submitted.items() if key.endswith("_register") and value]
        assert facts, vote.spec_name
        for fact in facts:
            assert fact["kept"] and not fact["overridden"], (vote.spec_name, fact)
