"""My unit's cases, the case page, attachments; notes_routes adds case comments and corrections (issue 15)."""
from . import notes_routes  # noqa: F401  (its routes on the cases blueprint)
