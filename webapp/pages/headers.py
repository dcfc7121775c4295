"""Security headers on every response, and the one shape in which stored files are served.

Pages run only the app's own scripts (no inline script or handler anywhere: JSON data islands
are `type="application/json"`, never executed). bpmn-js needs nothing more: its styles come from
our static CSS, its icons from our font files, and the few images Bootstrap and bpmn-js draw
are data: URIs inside that CSS. Every dynamic response carries personal data (pages, JSON,
CSV, attachments, error pages): none of it may be kept by a browser or a proxy. Static files
are cached by `static_files`.
"""
from flask import Response, current_app, request

PAGE_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap's and bpmn-js's icons are data: URIs in their CSS
    "font-src 'self'",
    "connect-src 'self'",  # the diagram pages fetch their XML and post validations
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
# A stored file (diagram, attachment, export) opened in a tab is an opaque origin that may run,
# load and embed nothing, whatever markup an uploader put in it.
FILE_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers that ignore frame-ancestors
    # Not no-referrer: Flask-WTF checks the Referer of every POST over HTTPS (WTF_CSRF_SSL_STRICT).
    "Referrer-Policy": "same-origin",
}


def stored_file(content):
    """A stored file (BPMN, DMN, form) as inert text: shown, never parsed as a document that could run.

    Not application/xml: a browser renders XML as a document, and an XHTML <script> inside a
    diagram's documentation then ran with the reader's session. bpmn-js fetches the text.
    """
    response = Response(content, mimetype="text/plain")
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response


#: Sent only where the cookies are Secure (the server is behind HTTPS): a browser that once saw
#: it never speaks plain HTTP to this host again, so a cookie cannot be caught on the way.
STRICT_TRANSPORT = "max-age=31536000"


def _secure(response):
    for name, value in COMMON.items():
        response.headers[name] = value
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT
    if "Content-Security-Policy" not in response.headers:
        is_file = "Content-Disposition" in response.headers  # downloads: attachments, CSV exports
        response.headers["Content-Security-Policy"] = FILE_POLICY if is_file else PAGE_POLICY
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def register(app):
    app.after_request(_secure)
