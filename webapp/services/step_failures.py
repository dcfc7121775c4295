"""What the person completing a step is told when the diagram's code for it fails.

The engine says why in a code (the sandbox stopped it: "timeout", "memory", "unstorable",
"cardinality", …) with parameters; the words are here, in the user's language. Nothing was
written, the step is still open: the message says so and who can fix it (the administrator).
"""

_PREFIX = {
    "vi": "Bước “{label}” không thực hiện được",
    "en": "The step “{label}” could not be done",
}
_AFTER = {
    "vi": " Hồ sơ không thay đổi, bước này vẫn mở; hãy báo quản trị viên sửa sơ đồ.",
    "en": " Nothing in the case changed and the step is still open; please tell the administrator to fix the diagram.",
}
_REASONS = {
    "timeout": {
        "vi": "mã của phần tử “{element}” chạy quá {seconds:g} giây và đã bị dừng.",
        "en": "the code of element “{element}” ran longer than {seconds:g} s and was stopped.",
    },
    "memory": {
        "vi": "mã của phần tử “{element}” dùng quá giới hạn bộ nhớ và đã bị dừng.",
        "en": "the code of element “{element}” used more memory than allowed and was stopped.",
    },
    "unstorable": {
        "vi": "mã của phần tử “{element}” để lại biến “{name}” kiểu {type}, không lưu được vào dữ liệu hồ sơ "
              "(chỉ lưu được chữ, số, đúng/sai, danh sách và từ điển của chúng).",
        "en": "the code of element “{element}” left the variable “{name}” holding a {type}, which the case's data "
              "cannot keep (only text, numbers, true/false, lists and dictionaries of them).",
    },
    "cardinality": {
        "vi": "hoạt động nhiều phiên bản “{element}” đòi {value} phiên bản; tối đa là {limit}.",
        "en": "the multi-instance activity “{element}” asks for {value} instances; at most {limit} are allowed.",
    },
    "too_large": {
        "vi": "mã của phần tử “{element}” để lại quá nhiều dữ liệu (hơn {limit} byte).",
        "en": "the code of element “{element}” left too much data (more than {limit} bytes).",
    },
    "too_many_items": {
        "vi": "mã của phần tử “{element}” để lại biến “{name}” có {size} phần tử; tối đa là {limit}.",
        "en": "the code of element “{element}” left the variable “{name}” with {size} items; at most {limit} are "
              "allowed.",
    },
    "busy": {
        "vi": "máy chủ đang bận chạy mã của các hồ sơ khác; hãy thử lại sau ít phút.",
        "en": "the server is busy running the code of other cases; please try again in a few minutes.",
    },
}


def step_failure_message(label, error, lang="vi"):
    """The message for a StepFailed raised from the engine's `error` (a ScriptError or RunawayInstance)."""
    lang = lang if lang in _PREFIX else "vi"
    prefix = _PREFIX[lang].format(label=label)
    reason = _REASONS.get(getattr(error, "code", None))
    if reason is None:
        return f"{prefix}: {error}"
    params = {"element": getattr(error, "task_spec", None) or "?", **getattr(error, "params", {})}
    try:
        text = reason[lang].format(**params)
    except (KeyError, IndexError, ValueError, TypeError):
        return f"{prefix}: {error}"
    return f"{prefix}: {text}{_AFTER[lang]}"


# --- what the administrators' operations view says (issue 15) ----------------------------------------

_FAILED_CODE = {
    "vi": "mã của phần tử “{element}” gặp lỗi.",
    "en": "the code of element “{element}” failed.",
}


def failure_payload(error, **facts):
    """What a failure event keeps of an engine error: the element, the sandbox's code and parameters, the text."""
    return {**facts, "element": getattr(error, "task_spec", None), "code": getattr(error, "code", None),
            "params": dict(getattr(error, "params", None) or {}), "error": str(error)[:1000]}


_UNEXPECTED = {
    "vi": "chương trình gặp lỗi ({error}) khi chạy bước sau hẹn giờ, không phải mã của sơ đồ; dữ liệu hồ sơ không "
          "bị thay đổi. Kiểm tra đơn vị của hồ sơ trong cây tổ chức, hoặc báo người phát triển.",
    "en": "the application failed ({error}) while running the steps after the timer, not the diagram's code; the "
          "case's data was not changed. Check the case's unit in the organisation tree, or tell the developers.",
}
_NO_ELEMENT = {"vi": "mã của sơ đồ gặp lỗi ({error}).", "en": "the diagram's code failed ({error})."}


def failure_reason(payload, lang="vi"):
    """The reason of a recorded failure in words (the sandbox's codes), else that the element's code failed.

    The library's own text (`payload["error"]`, English, may quote code) is shown apart, as a detail.
    """
    lang = lang if lang in _PREFIX else "vi"
    if payload.get("unexpected"):
        return _UNEXPECTED[lang].format(error=payload.get("error") or "?")
    if not payload.get("element"):
        return _NO_ELEMENT[lang].format(error=str(payload.get("error") or "?")[:200])
    params = {"element": payload["element"], **(payload.get("params") or {})}
    reason = _REASONS.get(payload.get("code"))
    try:
        return (reason or _FAILED_CODE)[lang].format(**params)
    except (KeyError, IndexError, ValueError, TypeError):
        return _FAILED_CODE[lang].format(element=params["element"])
