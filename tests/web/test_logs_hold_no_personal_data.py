"""What the application writes to its log carries no names or identity numbers (issue 9).

An unexpected error is logged with its trace (webapp/errors.py). A database error's text would
hold the values it was writing — a student's name and CCCD — unless the engine hides them
(`hide_parameters`, webapp/config.py).
"""
import logging
from datetime import date

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Student

NAME, CITIZEN_ID = "Hoàng Thị Bí Mật", "001307999999"


def test_a_failed_write_does_not_show_the_values_it_was_writing(world, caplog):
    caplog.set_level(logging.DEBUG)
    row = {"full_name": NAME, "citizen_id": CITIZEN_ID, "date_of_birth": date(2008, 5, 1), "sex": "F",
           "school": "Trường THPT", "class_name": "12A1", "unit_id": 999_999_999}  # no such unit
    existing = db.session.query(Student.id).limit(1).scalar()
    with pytest.raises(IntegrityError) as failed:
        db.session.execute(insert(Student).values(id=existing or 1, **row))
        db.session.execute(insert(Student).values(id=existing or 1, **row))
        db.session.flush()
    db.session.rollback()
    shown = str(failed.value) + repr(failed.value) + caplog.text
    assert "INSERT INTO student" in str(failed.value)  # the error still says what failed
    assert NAME not in shown and CITIZEN_ID not in shown
    assert "SQL parameters hidden" in str(failed.value)
