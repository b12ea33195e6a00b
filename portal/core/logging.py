"""Keeps identity numbers out of logs whatever code logs them."""

import logging
import re

# HKID (A123456(3)), Macao ID (1234567(8), older cards 1/234567/8) and travel
# permits (H12345678). A Certificate of Exemption has no published format to match.
IDENTITY_NUMBER = re.compile(
    r"\b(?:[A-Z]{1,2}\d{6}\(?[0-9A]\)?|[157]\d{6}\(?\d\)?|[157]/\d{6}/\d|[HM]\d{8}(?:\d{2})?)(?![\w])")


class RedactIdentityNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = IDENTITY_NUMBER.sub("[redacted-id]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
