"""Domain errors raised by the services; the web layer maps them to pages, the CLI to messages."""


class ServiceError(Exception):
    """Base class for what a use case refuses.

    The message is for the log and the command line. `code` (optional) names the refusal for the
    pages: webapp/pages/refusals.py words each code in the reader's language, and only a coded
    refusal is told to the user — an uncoded one gets its status's generic page.
    """

    code = None
    params = None  # facts the user-facing words name, e.g. {"name": …} for "%(name)s"

    def __init__(self, *args, code=None, params=None):
        super().__init__(*args)
        if code is not None:
            self.code = code
        if params is not None:
            self.params = params


class NotFound(ServiceError):
    """Nothing by that id in the caller's scope (404: existence is not disclosed)."""


class Forbidden(ServiceError):
    """In scope, but not the caller's to do (403)."""


class TaskAlreadyCompleted(ServiceError):
    """Someone completed the task first (409); nothing was changed."""


class StaleCase(ServiceError):
    """The case changed since it was read; the caller should reload it."""


class InvalidSubmission(ServiceError):
    """The form data does not validate; `errors` maps field → messages. Nothing was changed."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))


class InvalidBatch(ServiceError):
    """Some rows of a batch do not validate; `errors` maps task id → field → messages."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) do not validate")


class StepFailed(ServiceError):
    """A script of the diagram failed while completing the step; the task stays open.

    `failure` is what the operations view records of it (services/operations: the case, the step, the
    element, the sandbox's code), kept after the rollback.
    """

    def __init__(self, *args, failure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.failure = failure
