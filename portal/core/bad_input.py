"""Bad input is refused at the door, once for every view: a body over the limit
before it is read (413), control characters in the address, the query string,
form fields, file names or JSON (400, a translated page, or JSON under /api/),
and JSON nested too deeply. PostgreSQL refuses a NUL in text with an error, so
without this every view that put a parameter into a query could answer 500.

Forms and serializers still bound every field to its column; this is what no
field can be trusted to check by itself."""

import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError

# C0 control characters and DEL. Form fields and JSON strings may hold tabs and line
# breaks (a textarea sends CR LF); an address and a query string may not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_LINE_BREAK = re.compile(r"[\x00-\x1f\x7f]")
# Half of a UTF-16 pair: JSON can spell one ("\ud800"), UTF-8 cannot store it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Deeper JSON than any request of ours has: one level per object or array.
JSON_MAX_DEPTH = 20


def has_control_characters(text: str, *, line_breaks: bool = True) -> bool:
    """True if `text` holds a character no field of ours accepts: a control
    character (tabs and line breaks allowed unless line_breaks=False) or a lone
    surrogate."""
    pattern = _CONTROL if line_breaks else _CONTROL_OR_LINE_BREAK
    return bool(pattern.search(text) or _LONE_SURROGATE.search(text))


def control_characters_message() -> str:
    return _("The request contains characters that are not allowed, such as control characters. "
             "Remove them and try again.")


def body_limit(request) -> int:
    """Bytes a request body may have: an upload and its form for multipart bodies,
    DATA_UPLOAD_MAX_MEMORY_SIZE for every other (forms, JSON)."""
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RefuseBadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:  # refused before a byte of the body is read
            return self.refuse(request, 413, "request_too_large", _("The request is too large: it may be at most %(size)s MB.")
                               % {"size": _megabytes(limit)})
        if self._bad_address(request) or self._bad_form(request):
            return self.refuse(request, 400, "control_characters", control_characters_message())
        return self.get_response(request)

    @staticmethod
    def _bad_address(request) -> bool:
        if has_control_characters(request.path, line_breaks=False):
            return True
        return any(has_control_characters(key, line_breaks=False)
                   or any(has_control_characters(value, line_breaks=False) for value in values)
                   for key, values in request.GET.lists())

    @staticmethod
    def _bad_form(request) -> bool:
        """Form fields and file names (other bodies are not forms: JSON is checked by
        the API's parser)."""
        if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type not in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            return False
        for key, values in request.POST.lists():
            if has_control_characters(key) or any(has_control_characters(value) for value in values):
                return True
        return any(has_control_characters(upload.name or "") for upload in request.FILES.values())

    @staticmethod
    def refuse(request, status: int, code: str, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "detail": message}, status=status)
        return render(request, "400.html", {"message": message}, status=status)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) JSON nested deeper than JSON_MAX_DEPTH and
    strings or keys with control characters or lone surrogates. The body's size was
    checked before it was read (RefuseBadInputMiddleware)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        _check(data)
        return data


def _too_deep() -> str:
    return _("The JSON body is nested too deeply: at most %(depth)s levels.") % {"depth": JSON_MAX_DEPTH}


def _check(data) -> None:
    """Walk parsed JSON without recursion: depth, and every key and string."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth > JSON_MAX_DEPTH:
                raise ParseError(_too_deep())
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and has_control_characters(key):
                    raise ParseError(control_characters_message())
                pending.append((item, depth + 1))
        elif isinstance(value, str) and has_control_characters(value):
            raise ParseError(control_characters_message())



class DateTimeField(serializers.DateTimeField):
    """DRF's, answering a date and time that cannot be placed in the time zone (year 1
    east of UTC) with its "overflow" error: DRF checks a naive value's conversion
    without catching the OverflowError, a 500."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")
