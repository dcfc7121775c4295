"""The inbox, the task page, batch pages; notes_routes adds drafts and step comments (issue 15)."""
from . import notes_routes  # noqa: F401  (its routes on the tasks blueprint)
