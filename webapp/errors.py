"""Map domain errors to pages: never a stack trace, never a 500 for something the user did."""
from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as database_errors
from werkzeug.exceptions import HTTPException

from .authz.lanes import UnitTreeError
from .extensions import db, login_manager
from .pages.headers import COMMON, PAGE_POLICY
from .pages.refusals import refusal_text
from .services import Forbidden, InvalidSubmission, NotFound, StaleCase, StepFailed, TaskAlreadyCompleted
from .services.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES
from .services.errors import InvalidBatch, ServiceError

_STATUS = {NotFound: 404, Forbidden: 403, TaskAlreadyCompleted: 409, StaleCase: 409, InvalidSubmission: 422,
           StepFailed: 422, InvalidBatch: 422, ServiceError: 422, UnitTreeError: 422}
_TITLES = {
    400: _l("Yêu cầu không hợp lệ"), 401: _l("Chưa đăng nhập"), 403: _l("Không có quyền"),
    404: _l("Không tìm thấy"), 405: _l("Thao tác không được phép"), 409: _l("Đã được xử lý"),
    413: _l("Tệp quá lớn"), 422: _l("Dữ liệu chưa hợp lệ"), 500: _l("Lỗi hệ thống"),
    503: _l("Không kết nối được cơ sở dữ liệu"),
}
_MESSAGES = {
    400: _l("Yêu cầu không hợp lệ. Hãy tải lại trang và thử lại."),
    403: _l("Bạn không có quyền thực hiện thao tác này với vai trò đang chọn."),
    404: _l("Không tìm thấy trang hoặc hồ sơ này trong phạm vi của bạn."),
    405: _l("Thao tác này không được phép ở địa chỉ này."),
    409: _l("Hồ sơ đã được người khác xử lý. Hãy tải lại trang."),
    413: _l("Tệp gửi lên lớn hơn giới hạn cho phép (%(mb)d MB).", mb=MAX_ATTACHMENT_BYTES // 2**20),
    422: _l("Dữ liệu gửi lên chưa hợp lệ."),
    500: _l("Đã có lỗi; sự cố đã được ghi lại. Vui lòng thử lại sau."),
    503: _l("Hiện không kết nối được cơ sở dữ liệu. Chưa có gì thay đổi; vui lòng thử lại sau ít phút."),
}
#: SQLSTATE class 40 (serialization failure, deadlock) is a conflict between transactions, not an outage.
_CONFLICT_SQLSTATE = "40"


def database_unreachable(error):
    """Whether `error` (or what caused it) says the database cannot be reached right now.

    A refused or dropped connection, a database that no longer exists, a server restarting, an
    SQLite file that cannot be opened, every pooled connection busy: all of these are the
    operator's to fix and the user's to retry, so they are a 503, not a 500.
    """
    for link in _chain(error):
        if isinstance(link, database_errors.DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, database_errors.TimeoutError):  # no pooled connection came free
            return True
        if isinstance(link, database_errors.OperationalError | database_errors.InterfaceError):
            return _outage(link.orig)
    return False


#: SQLite reports a mistyped statement as an OperationalError too: only these names are outages.
_SQLITE_OUTAGES = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_NOTADB",
                   "SQLITE_FULL", "SQLITE_READONLY")


def _outage(driver_error):
    sqlite_name = getattr(driver_error, "sqlite_errorname", None)
    if sqlite_name is not None:
        return sqlite_name.startswith(_SQLITE_OUTAGES)
    return not str(getattr(driver_error, "sqlstate", "") or "").startswith(_CONFLICT_SQLSTATE)


def _chain(error, depth=5):
    while error is not None and depth:
        yield error
        error, depth = error.__cause__ or error.__context__, depth - 1


def _forget_user():
    """Draw the page as for a visitor: the signed-in user and the acting role would need the database."""
    login_manager._update_request_context_with_user()  # Flask-Login's own way to set g._login_user


def _rollback():
    try:
        db.session.rollback()  # a failed flush leaves the session unusable, and the page reads the acting role
    except Exception:  # a dead connection may refuse even the rollback; the page comes first
        current_app.logger.warning("rollback failed while answering an error", exc_info=True)


def _respond(status, message=None):
    title = _TITLES.get(status, _l("Lỗi"))
    message = message or _MESSAGES.get(status, "")
    if status == 503:
        _forget_user()
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": str(title), "message": str(message)}), status
    try:
        return render_template("error.html", title=title, message=message, status=status), status
    except Exception:  # the page itself needs the database (the user, the acting role)
        current_app.logger.warning("the error page could not be drawn for the signed-in user", exc_info=True)
        _rollback()
    try:
        _forget_user()
        return render_template("error.html", title=title, message=message, status=status), status
    except Exception:  # not even as a visitor: still our words, never a trace
        current_app.logger.exception("the error page could not be drawn")
        return (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{escape(title)}</title>'
                f'<h1>{escape(title)}</h1><p data-testid="error-message">{escape(message)}</p></html>'), status


_LAST_RESORT_TEXT = {
    503: ("Không kết nối được cơ sở dữ liệu",
          "Hiện không kết nối được cơ sở dữ liệu. Chưa có gì thay đổi; vui lòng thử lại sau ít phút.",
          "The database is not reachable. Nothing was changed; please try again in a few minutes."),
    500: ("Lỗi hệ thống", "Đã có lỗi; sự cố đã được ghi lại. Vui lòng thử lại sau.",
          "Something went wrong; it has been logged. Please try again later."),
}


class LastResort:
    """Outermost WSGI layer: if even the handlers above fail, the WSGI server still never answers.

    gunicorn (and werkzeug) answer an exception that leaves the application with their own bare
    "Internal Server Error". This answers with our words in both languages, drawn from nothing that
    could fail (no template, no session, no database), with the usual security headers.
    """

    def __init__(self, wsgi_app, logger):
        self.wsgi_app, self.logger = wsgi_app, logger

    def __call__(self, environ, start_response):
        started = []

        def start(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        except Exception as error:
            if started:  # the answer is on its way: nothing better can be sent
                raise
            self.logger.exception("an error escaped every error handler")
            status = 503 if database_unreachable(error) else 500
            title, message, english = _LAST_RESORT_TEXT[status]
            body = (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{title} · ketnap</title>'
                    f'<h1>{title}</h1><p data-testid="error-message">{message}</p>'
                    f'<p lang="en">{english}</p></html>').encode()
            start_response(f"{status} {'Service Unavailable' if status == 503 else 'Internal Server Error'}", [
                ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"), ("Content-Security-Policy", PAGE_POLICY), *COMMON.items(),
                *([("Retry-After", "30")] if status == 503 else [])])
            return [body]


def register(app):
    # A refusal with a code we wrote words for says them (pages/refusals.py); any other gets the
    # status's generic message — never the exception's own text, which is for the log.
    for error_class, status in _STATUS.items():
        app.register_error_handler(error_class, lambda e, s=status: _respond(s, refusal_text(e)))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(400, _l("Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ. Hãy tải lại trang và gửi lại."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        body, status = _respond(error.code or 500)
        allowed = getattr(error, "valid_methods", None)  # a 405 says which methods the address takes
        return body, status, {"Allow": ", ".join(allowed)} if allowed else {}

    @app.errorhandler(Exception)
    def unexpected(error):
        _rollback()
        if database_unreachable(error):  # before_request hooks, the user loader and the pages all land here
            cause = str(getattr(error, "orig", error)).splitlines()[:1]  # the driver's words: host, port, no data
            app.logger.error("the database is not reachable: %s %s", error.__class__.__name__, "".join(cause))
            body, status = _respond(503)
            return body, status, {"Retry-After": "30"}
        app.logger.exception("unhandled error")  # the trace goes to the log, never to the page
        return _respond(500)

    app.wsgi_app = LastResort(app.wsgi_app, app.logger)  # last, so that it wraps ProxyFix too
