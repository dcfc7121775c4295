"""Official documents (the KNĐ forms) filled from a case's recorded facts, and the national register export.

`templates` (parsing and deployment checks) is imported by `services.versions`; the use cases are
in `generate` and `register_export`, imported by name (the package itself imports nothing, so
`versions` can read the templates module without a cycle through `generate`).
"""
