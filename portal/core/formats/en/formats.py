"""Django's named formats for this language, from the portal's one table
(portal/core/formatting.py), so the admin and the `date` filter agree with it."""

from portal.core.formatting import FORMATS

DATE_FORMAT = FORMATS["en"]["date"]
DATETIME_FORMAT = FORMATS["en"]["datetime"]
TIME_FORMAT = FORMATS["en"]["time"]
YEAR_MONTH_FORMAT = FORMATS["en"]["month"]
