"""Static files under content-hashed URLs, cached for a year; anything else revalidated.

`url_for('static', filename=f)` gets `?v=<first 12 hex digits of the file's sha256>`: a release
that changes a file changes its URL, so browsers may keep each URL forever (`immutable`) and the
first inbox load stops asking for every script and stylesheet again. A request whose `v` is not
the current file's (an old page, a hand-typed address) or that has none (the fonts bpmn-js's CSS
names by relative URL) is served with `no-cache`: kept, but checked with its ETag each time.
"""
import hashlib
import os

from flask import redirect, request, url_for
from werkzeug.security import safe_join

FOREVER = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class ContentVersions:
    """The short hash of each static file, computed once per content (a stat tells when it changed)."""

    def __init__(self, folder):
        self.folder = folder
        self._known = {}  # filename → ((mtime_ns, size), hash)

    def of(self, filename):
        path = safe_join(self.folder, filename) if filename else None
        try:
            stat = os.stat(path) if path else None
        except OSError:
            return None
        if stat is None or not os.path.isfile(path):
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = self._known.get(filename)
        if known is None or known[0] != stamp:
            with open(path, "rb") as handle:
                known = (stamp, hashlib.sha256(handle.read()).hexdigest()[:12])
            self._known[filename] = known
        return known[1]


def register(app):
    versions = ContentVersions(app.static_folder)

    @app.url_defaults
    def versioned_static_url(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = versions.of(values.get("filename"))
            if version:
                values["v"] = version

    @app.get("/favicon.ico")
    def favicon():
        """Browsers ask for /favicon.ico where a page names no icon (a CSV, a stored diagram's text)."""
        return redirect(url_for("static", filename="favicon.svg"), code=301)

    @app.after_request
    def static_caching(response):
        if request.endpoint == "static":
            current = versions.of((request.view_args or {}).get("filename"))
            wanted = request.args.get("v")
            fresh = current is not None and wanted == current and response.status_code in (200, 304)
            response.headers["Cache-Control"] = FOREVER if fresh else REVALIDATE
            response.headers.pop("Expires", None)
        return response
