"""Administrators' pages: diagrams and forms in the browser, versions, units and users."""
from . import operations_routes, startable_routes  # noqa: F401  (their routes on the admin blueprint)
