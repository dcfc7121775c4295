"""Diagram code under limits it cannot catch or lift: a warm pool of worker processes.

The only place in the application that starts processes. See docs/architecture.md ("The
sandbox") for the shape and docs/operations.md for the limits and how to change them.
"""
from .environment import SandboxedEnvironment
from .limits import SandboxLimits
from .pool import SandboxFailure, configure, current_limits, pool, shutdown

__all__ = ["SandboxFailure", "SandboxLimits", "SandboxedEnvironment", "configure", "current_limits", "pool",
           "shutdown"]
