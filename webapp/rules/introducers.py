"""Who may introduce an applicant (3-KNĐ, domain §2 step 6)."""

from ._checks import flag, non_negative

# [C] the introducer studied or worked with the applicant ≥ 12 months in the same unit.
INTRODUCER_MIN_MONTHS = 12


def introducer_qualified(
    is_official: bool,
    months_together: int,
    is_replacement: bool = False,
    *,
    min_months: int = INTRODUCER_MIN_MONTHS,
) -> bool:
    """[C] an official (not probationary) member with ≥ `min_months` together with the applicant;
    a replacement introducer (the first one moved or was disciplined) is exempt from the months."""
    official = flag(is_official, "is_official")
    months = non_negative(months_together, "months_together")
    replacement = flag(is_replacement, "is_replacement")
    return official and (replacement or months >= non_negative(min_months, "min_months"))
