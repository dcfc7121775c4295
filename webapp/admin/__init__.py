"""Administrators' pages: diagrams and forms in the browser, versions, units and users."""
# Each module registers its pages on the admin blueprint (routes.py).
from . import (  # noqa: F401
    diagram_routes,
    form_routes,
    operations_routes,
    startable_routes,
    unit_routes,
    user_routes,
    version_routes,
)
