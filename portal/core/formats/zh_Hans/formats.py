"""Django's named formats for this language, from the portal's one table
(portal/core/formatting.py), so the admin and the `date` filter agree with it."""

from portal.core.formatting import FORMATS

DATE_FORMAT = FORMATS["zh"]["date"]
DATETIME_FORMAT = FORMATS["zh"]["datetime"]
TIME_FORMAT = FORMATS["zh"]["time"]
YEAR_MONTH_FORMAT = FORMATS["zh"]["month"]
