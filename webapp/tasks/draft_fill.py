"""The task page filled again from the person's own saved draft (issue 15)."""
from werkzeug.datastructures import MultiDict

from ..services.drafts import saved_draft


def draft_formdata(user_id, task_id):
    """The draft's typed values as a form would post them, or None when this person has no draft of the task."""
    draft = saved_draft(user_id, task_id)
    if draft is None:
        return None
    return MultiDict([(name, value) for name, values in draft.form_values.items() for value in values])
