"""Administrators' pages: diagrams and forms in the browser, versions, units and users."""
from . import startable_routes  # noqa: F401  (its routes on the admin blueprint)
