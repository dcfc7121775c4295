"""Operations for administrators (issue 15): cases whose step failed, and retrying them.

`failures` records a failure (a timer's step, a step's code at completion) and lists the failed
cases; `retry` runs a failed case again once its diagram is fixed.
"""
from .failures import FAILURE_KINDS, FailedCase, failed_cases, record_completion_failure
from .retry import RetryOutcome, retry_failed_case

__all__ = ["FAILURE_KINDS", "FailedCase", "RetryOutcome", "failed_cases", "record_completion_failure",
           "retry_failed_case"]
