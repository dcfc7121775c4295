"""Map domain errors to pages: never a stack trace, never a 500 for something the user did."""
from flask import jsonify, render_template_string, request
from werkzeug.exceptions import HTTPException

from .services import Forbidden, InvalidSubmission, NotFound, StepFailed, TaskAlreadyCompleted

_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><main style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>{{ title }}</h1><p>{{ message }}</p><p><a href="/">Về trang chủ</a></p></main></html>"""

_STATUS = {NotFound: 404, Forbidden: 403, TaskAlreadyCompleted: 409, InvalidSubmission: 422, StepFailed: 422}
_TITLES = {
    400: "Yêu cầu không hợp lệ", 403: "Không có quyền", 404: "Không tìm thấy", 405: "Không được phép",
    409: "Đã được xử lý", 413: "Tệp quá lớn", 422: "Dữ liệu chưa hợp lệ", 500: "Lỗi hệ thống",
}


def _respond(status, message):
    title = _TITLES.get(status, "Lỗi")
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"error": title, "message": message}), status
    return render_template_string(_PAGE, title=title, message=message), status


def register(app):
    for error_class, status in _STATUS.items():
        app.register_error_handler(error_class, lambda e, s=status: _respond(s, str(e)))

    @app.errorhandler(HTTPException)
    def http_error(error):
        return _respond(error.code or 500, error.description or "")

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")  # the trace goes to the log, never to the page
        return _respond(500, "Đã có lỗi; quản trị viên đã được ghi nhận. Vui lòng thử lại sau.")
