"""The limits diagram code runs under; the application passes them in from its configuration."""
from dataclasses import dataclass

from ..restricted import DEFAULT_TIME_BUDGET


@dataclass(frozen=True)
class SandboxLimits:
    #: Wall-clock seconds one script or expression may take; the server kills the worker after it.
    time_budget: float = DEFAULT_TIME_BUDGET
    #: Address space of one worker process, in MiB (interpreter included, about 40 MiB).
    memory_mb: int = 256
    #: Worker processes kept warm; at most this many pieces of diagram code run at the same time.
    workers: int = 4
    #: Largest multi-instance cardinality (and number of items a multi-instance runs over).
    max_cardinality: int = 1000
    #: Largest reply a worker may send (the task data a script leaves), in bytes.
    max_reply_bytes: int = 8 * 1024 * 1024
    #: Seconds a worker may take to start (import RestrictedPython and the rules).
    start_timeout: float = 20.0

    @property
    def soft_budget(self):
        """The worker's own line tracer stops ordinary loops a little before the hard deadline,
        so the common case ends with a message and a worker that stays warm."""
        return self.time_budget * 0.8

    @property
    def cpu_seconds(self):
        """The worker's CPU backstop for one request (whole seconds, at least one)."""
        return max(1, int(self.time_budget * 2 + 0.999))

    def for_worker(self):
        return {"memory_bytes": self.memory_mb * 1024 * 1024, "cpu_seconds": self.cpu_seconds,
                "soft_budget": self.soft_budget, "time_budget": self.time_budget,
                "max_items": self.max_cardinality}
