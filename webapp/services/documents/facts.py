"""The recorded facts a document template may name, and their values for one case.

Only what the case recorded: the student's record (`student.*`), the units the case belongs to
(`cell.name`, `grassroots.name`, `subcommittee.name`, `deciding.name`) and what each completed
step submitted (`<form>.<field>`, with the member register's name of a chosen member as
`<form>.<prefix>_name`). Step facts come from the template's phase: `admission` reads the steps
completed before the ceremony, `recognition` those after it (the cell and committee votes are the
same forms twice). The latest completion wins (a vote taken again). Nothing is computed or
guessed: a fact the case has not recorded is absent, and the renderer prints a line to fill.

Need-to-know (authz.need_to_know): the sections of the steps a template reads must all be read by
the reader's role, else the document is refused; the full CCCD only for the roles that read it.
"""
import re
from datetime import date, datetime

from sqlalchemy import select

from ...authz import case_units, section_of
from ...extensions import db
from ...models import HumanTask, OrgUnit, Student
from ...rules.statistics import OCCUPATIONS, SEXES
from ..register_choices import CHOICES

STUDENT_FACTS = ("full_name", "date_of_birth", "sex", "ethnicity", "religion", "citizen_id", "school",
                 "class_name", "education_level", "occupation", "youth_union_member")
UNIT_FACTS = ("cell.name", "grassroots.name", "subcommittee.name", "deciding.name")
CEREMONY = "hold_ceremony"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Forms recorded at admission and again at recognition (the vote processes called twice).
RECORDED_AGAIN = frozenset({"record_cell_vote", "record_committee_vote"})
#: What the service records of a member a form chose, from the register (register_choices.py):
#: `<form>.<prefix>_name` and `<form>.<prefix>_in_unit_since`; the member field prints the name.
MEMBER_NAME_FACTS = {form: {f"{choice.prefix}_name": choice.field for choice in choices}
                     for form, choices in CHOICES.items()}
MEMBER_FACTS = {form: {f"{choice.prefix}_{fact}" for choice in choices for fact in ("name", "in_unit_since")}
                for form, choices in CHOICES.items()}


def known_facts(form_fields):
    """Every fact name a template may use, given {form name: field names} of the deployment."""
    names = {f"student.{name}" for name in STUDENT_FACTS} | set(UNIT_FACTS)
    for form, fields in form_fields.items():
        names |= {f"{form}.{field}" for field in fields}
        names |= {f"{form}.{fact}" for fact in MEMBER_FACTS.get(form, ())}
    return frozenset(names)


def dmy(value):
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _shown(spec, value):
    """A submitted value as printed: dd/mm/yyyy, Có/Không, the choice's Vietnamese label."""
    if value is None or value == "":
        return None
    if spec is None:  # a fact the service added (register_choices): dates as ISO text
        return dmy(value) if ISO_DAY.fullmatch(str(value)) else str(value)
    if spec.type == "boolean":
        return "Có" if value else "Không"
    if spec.type == "date":
        return dmy(value)
    if spec.type == "enum":
        return spec.choice_label(value, "vi")
    return str(value)


def mask_citizen_id(value):
    value = value or ""
    return "•" * max(0, len(value) - 3) + value[-3:]


def student_facts(student, reads_citizen_id):
    return {
        "student.full_name": student.full_name,
        "student.date_of_birth": dmy(student.date_of_birth),
        "student.sex": SEXES.get(student.sex, {}).get("vi", student.sex),
        "student.ethnicity": student.ethnicity,
        "student.religion": student.religion,
        "student.citizen_id": student.citizen_id if reads_citizen_id else mask_citizen_id(student.citizen_id),
        "student.school": student.school,
        "student.class_name": student.class_name,
        "student.education_level": student.education_level,
        "student.occupation": OCCUPATIONS.get(student.occupation, {}).get("vi", student.occupation),
        "student.youth_union_member": "Có" if student.youth_union_member else "Không",
    }


def unit_facts(instance):
    units = case_units(instance.unit_id)
    ids = {"cell.name": units.cell_id, "grassroots.name": units.grassroots_id,
           "subcommittee.name": units.subcommittee_id, "deciding.name": units.deciding_id}
    names = dict(db.session.execute(select(OrgUnit.id, OrgUnit.name)
                                    .where(OrgUnit.id.in_([i for i in ids.values() if i]))).all())
    return {fact: names.get(unit_id) for fact, unit_id in ids.items() if unit_id}


def phase_steps(instance_id, phase):
    """The completed steps a document of the phase reads, oldest first.

    Admission: the steps up to the ceremony. Recognition: every step, except that the forms the
    recognition records again (the cell's and the committee's votes) are read from after the
    ceremony only, so 13-KNĐ never prints the admission vote.
    """
    rows = db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.status == "completed")
                              .order_by(HumanTask.completed_at, HumanTask.id)).scalars().all()
    ceremony = next((i for i, row in enumerate(rows) if row.form_name == CEREMONY), None)
    if phase == "recognition":
        if ceremony is None:
            return [row for row in rows if row.form_name not in RECORDED_AGAIN]
        return [row for row in rows[: ceremony + 1] if row.form_name not in RECORDED_AGAIN] + rows[ceremony + 1:]
    return rows[: ceremony + 1] if ceremony is not None else rows


def step_facts(rows, forms, wanted_forms):
    """{fact: text} of the latest completion of each wanted form among `rows`."""
    facts = {}
    for row in rows:
        if row.form_name not in wanted_forms:
            continue
        definition = forms.form(row.form_name)
        specs = {spec.name: spec for spec in (definition.fields if definition else ())}
        submitted = row.submitted or {}
        for field, value in submitted.items():
            if field.startswith("_"):
                continue
            facts[f"{row.form_name}.{field}"] = _shown(specs.get(field), value)
        for fact, member_field in MEMBER_NAME_FACTS.get(row.form_name, {}).items():
            if submitted.get(fact):  # the member's name, never the register's id
                facts[f"{row.form_name}.{member_field}"] = str(submitted[fact])
    return facts


def forms_named(template):
    return {name.split(".", 1)[0] for name in template.placeholders()
            if not name.startswith(("student.", "cell.", "grassroots.", "subcommittee.", "deciding."))}


def sections_needed(template):
    return frozenset(section_of(form) for form in forms_named(template))


def case_facts(instance, template, forms, reader):
    """{fact name: text or None} for `template` on this case, as `reader` may read it."""
    student = db.session.get(Student, instance.student_id)
    facts = student_facts(student, reader.reads("citizen_id")) | unit_facts(instance)
    return facts | step_facts(phase_steps(instance.id, template.phase), forms, forms_named(template))
