"""Administrators' pages: diagrams and forms in the browser, versions, units and users."""
