"""Who generates a case's official documents and who exports the national register's records.

A document prints step data, so its reader must read every kind of data the document draws on
(need_to_know.ROLE_READS): the cell secretary and the deciding bodies read them all; an applicant
reads the application and personal history they wrote, so prints 1-KNĐ and 2-KNĐ of their own
case; a role that reads none of a document's sections is refused it. Being in scope
(can_see_instance) is checked first by the service, as for every reading of a case.
"""
from .need_to_know import ROLE_PAGES

#: The register export lists members with their identity: the roles that export case lists.
REGISTER_EXPORT_PAGE = "export"


def may_generate_document(reader, sections):
    """May `reader` (need_to_know.Reader) print a document drawing on these kinds of step data?"""
    return bool(reader.roles) and all(reader.reads(section) for section in sections)


def may_export_register(acting):
    """The national register export: organisation boards, standing committees, auditors (their scope)."""
    return acting is not None and REGISTER_EXPORT_PAGE in ROLE_PAGES.get(acting.role, ())
