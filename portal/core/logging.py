"""Keeps identity numbers out of logs whatever code logs them: Django's and our
own log lines (LOGGING's filter) and gunicorn's access and error logs
(GunicornLogger, the Procfile's --logger-class). One pattern for all of them."""

import logging
import re

from gunicorn.glogging import Logger

# Brackets as typed, or percent-encoded as a search form sends them; a space (or
# its URL forms) may stand before the bracket. Any letter case.
_OPEN = r"(?:\s|\+|%20)?(?:\(|%28)"
_CLOSE = r"(?:\)|%29)"
IDENTITY_NUMBER = re.compile(
    r"\b(?:"
    rf"[A-Z]{{1,2}}\d{{6}}(?:{_OPEN}[0-9A]{_CLOSE}|[0-9A])"  # HKID: A123456(3), AB9876543
    rf"|\d{{7}}{_OPEN}\d{_CLOSE}"                            # Macao ID: 1234567(8)
    r"|[157]\d{7}"                                          # Macao ID without brackets: 12345678
    r"|[157]/\d{6}/\d"                                       # Macao ID, older cards: 1/234567/8
    r"|[HM]\d{8}(?:\d{2})?"                                 # Mainland Travel Permit: H12345678(90)
    r")(?!\w)",
    re.IGNORECASE,
)
REDACTED = "[redacted-id]"


def redact_identity_numbers(text: str) -> str:
    return IDENTITY_NUMBER.sub(REDACTED, text)


class RedactIdentityNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_identity_numbers(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with the same redaction on its access log (the request
    line, path, query string and referrer of every request) and error log. Its
    --access-logformat can leave atoms out but not redact them."""

    def setup(self, cfg) -> None:
        super().setup(cfg)  # again on every reload (HUP): one filter per log
        for log in (self.access_log, self.error_log):
            if not any(isinstance(existing, RedactIdentityNumbersFilter) for existing in log.filters):
                log.addFilter(RedactIdentityNumbersFilter())
