"""How a task names its form, and what to say when the named form is not in the deployment.

SpiffArena's convention, which ketnap shares: a user task carries the spiffworkflow properties
`formJsonSchemaFilename` = `<name>.schema.json` (and `formUiSchemaFilename` = `<name>.uischema.json`).
Diagrams brought from SpiffArena often name `<name>-schema.json`; the refusal says which file
names were looked for and offers the closest form the deployment has, so the fix is one rename.
"""
import difflib
import re

SCHEMA_SUFFIX = ".schema.json"
UI_SUFFIX = ".uischema.json"
#: What other tools put around a form's name: stripped before looking for the closest match.
_FOREIGN_SUFFIX = re.compile(r"(?:[-_.](?:ui)?schema)?(?:\.json)?$", re.IGNORECASE)


def form_name(schema_file):
    """The form a formJsonSchemaFilename value names (`hold_ceremony.schema.json` → `hold_ceremony`)."""
    return (schema_file or "").strip().removesuffix(SCHEMA_SUFFIX)


def looked_for(form):
    """The file names a form is read from, in the order the deployment reads them."""
    return f"{form}{SCHEMA_SUFFIX}", f"{form}{UI_SUFFIX}"


def closest_form(form, known):
    """The known form whose name is nearest to `form` (difflib), or None when none is near."""
    known = sorted(known)
    for candidate in (form, _FOREIGN_SUFFIX.sub("", form)):
        if not candidate:
            continue
        exact = [name for name in known if name.lower() == candidate.lower()]
        if exact:
            return exact[0]
        found = difflib.get_close_matches(candidate, known, n=1, cutoff=0.6)
        if found:
            return found[0]
    return None
