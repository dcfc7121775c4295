"""Which role exists at which kind of unit (domain §1): a grant outside this table is refused.

A cell's roles are held in the cell that runs the procedure (a cell, or a grassroots cell, which
is one body with no committee); a committee's roles in a committee of that kind; the roles of a
deciding body (standing committee, organisation board, political centre) in a province, district
or commune committee, the only kinds that have them. The lanes of the diagrams resolve to the
same units (authz/lanes.py), so a role granted elsewhere could only ever reach the wrong tasks
("Ban Thường vụ" at a cell, a cell secretary at the province, who would see every cell's tasks).
"""
from types import MappingProxyType

_CELLS = frozenset({"cell", "grassroots_cell"})
_DECIDING = frozenset({"province", "district", "commune"})

ROLE_UNIT_KINDS = MappingProxyType({
    "applicant": _CELLS,
    "youth_union": _CELLS,
    "introducer": _CELLS,
    "cell_secretary": _CELLS,
    "verifier": _CELLS,
    "residence_cell": _CELLS,
    "subcommittee": frozenset({"subcommittee"}),
    "grassroots_committee": frozenset({"grassroots_committee"}),
    "political_center": _DECIDING,
    "org_board": _DECIDING,
    "standing_committee": _DECIDING,
    # The inspection committee exists at every committee level, the grassroots committee's included.
    "auditor": _DECIDING | {"grassroots_committee"},
    # The system administrator is not a party body; the role is held where the administered tree starts.
    "admin": _DECIDING,
})


def role_fits_unit(role, unit_kind):
    """True when `role` exists at a unit of kind `unit_kind`."""
    return unit_kind in ROLE_UNIT_KINDS.get(role, frozenset())
