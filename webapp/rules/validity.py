"""How long the course certificate and the dossier documents stay usable."""

from .dates import DateLike, add_months, as_date

# [S] the party-awareness course certificate is valid 60 months.
CERTIFICATE_VALID_MONTHS = 60
# [S/U] other dossier documents no older than 12 months on the meeting date.
DOCUMENT_VALID_MONTHS = 12


def certificate_valid(issued: DateLike, on: DateLike, *, months: int = CERTIFICATE_VALID_MONTHS) -> bool:
    """Valid from the issue date up to, not including, the day `months` later.

    "Valid 60 months" ends when the 60 months are complete, so on the 60-month anniversary it has
    lapsed. A certificate dated after `on` is not valid yet.
    """
    start = as_date(issued, name="issued")
    day = as_date(on, name="on")
    return start <= day < add_months(start, months)


def document_fresh(dated: DateLike, on: DateLike, *, months: int = DOCUMENT_VALID_MONTHS) -> bool:
    """The document is no older than `months` on `on`.

    "No older than 12 months" includes the day it is exactly 12 months old, unlike the
    certificate's "valid for 60 months". A document dated after `on` is not usable.
    """
    start = as_date(dated, name="dated")
    day = as_date(on, name="on")
    return start <= day <= add_months(start, months)
