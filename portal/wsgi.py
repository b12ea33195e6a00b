import os

from django.core.wsgi import get_wsgi_application

from portal.core.startup import require_secret_key

# Production unless told otherwise: a server started without DJANGO_SETTINGS_MODULE must
# not run the developer settings (DEBUG, tracebacks). make run chooses portal.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()
require_secret_key()
