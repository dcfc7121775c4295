"""A colleague completed the step first: what the one who lost the race had typed is kept, never lost.

The submit that arrives too late changes nothing; its page shows who recorded the step and when,
and the late person's own values, read-only, beside the form's labels, so they can compare them
with what was recorded (on the case page) and raise a difference with their colleague.
"""
from dataclasses import dataclass
from datetime import datetime

from ...authz.claims import is_of_the_body
from ...extensions import db
from ...models import HumanTask, User
from ..errors import NotFound
from ..task_view import step_form


@dataclass(frozen=True)
class LateSubmission:
    instance_id: int
    label: str
    completed_by: str
    completed_at: datetime
    typed: tuple  # (label, value as typed) of the form's fields that had a value


def _shown(spec, raw, lang):
    return spec.choice_label(raw, lang) if spec.type == "enum" else raw


def late_submission(user, task_id, form, lang="vi"):
    """What to show to `user` whose submit of task `task_id` came after a colleague's (NotFound otherwise).

    Only a member of the task's body sees it: they could have recorded the step themselves.
    """
    task = db.session.get(HumanTask, task_id)
    if task is None or task.status != "completed" or task.completed_by_id in (None, user.id) \
            or not is_of_the_body(user.id, task):
        raise NotFound("no late submission of yours for this task")
    definition = step_form(task.id)
    typed = []
    for spec in (definition.fields if definition else ()):
        if spec.type == "boolean":  # an unticked box is absent: only what the person filled is shown
            if form.get(spec.name):
                typed.append((spec.label(lang), "✓"))
            continue
        raw = (form.get(spec.name) or "").strip()
        if raw:
            typed.append((spec.label(lang), _shown(spec, raw, lang)))
    completer = db.session.get(User, task.completed_by_id)
    return LateSubmission(task.instance_id, task.label, completer.full_name, task.completed_at, tuple(typed))
