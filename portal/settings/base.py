"""Settings shared by every environment.

Production differences come only from environment variables (see the table in
README.md). With no variables set at all the portal runs on an SQLite file with
Celery tasks executed eagerly, which is the "embedded default" used for demos.
"""

import importlib.metadata
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# No default outside DEBUG. Django refuses to read an empty key, so nothing is ever
# signed with one; the web application and Celery workers stop at start-up without it
# (portal.core.startup), while commands that sign nothing (makemigrations, check,
# compilemessages) still run under the production settings.
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-only-for-debug" if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so it can patch admin forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portal.core",
    "portal.accounts",
    "portal.hospitals",
    "portal.medicines",
    "portal.notifications",
    "portal.centres",
    "portal.appointments",
    "portal.vouchers",
    "portal.transfers",
    "portal.care",
    "portal.visits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Bodies over the limit, control characters: refused before any view (and in the
    # page's language, so after LocaleMiddleware).
    "portal.core.bad_input.RefuseBadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.RequireStaffTwoFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# No DATABASE_URL: an SQLite file next to manage.py (the embedded default).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USING_POSTGRES:
    # Connections are kept between requests (opening one costs more than most
    # requests); Django checks a kept one (SELECT 1) before its first query.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The working set (hospitals, the Connect list) sits in memory, where a random
    # read costs about what a sequential one does. With PostgreSQL's default of 4
    # the planner scanned the whole hospital table for a search matching a few
    # hundred rows instead of using the trigram index, and evaluating LIKE on every
    # row took twice as long. Set per connection, so a DBA's setting still wins
    # when DATABASE_PLANNER_OPTIONS is set to "" (see README).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "DATABASE_PLANNER_OPTIONS", default="-c random_page_cost=1.1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# The one cache layer (portal/core/caching.py): allauth's rate limits and the
# public pages. Production needs Redis so every process shares it.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Part of every cached page's key: a deploy never serves a page rendered by the
# previous release. Set it to the commit on deploy when the version is unchanged.
RELEASE = env("RELEASE", default=importlib.metadata.version("gba-health-portal"))
# Seconds a signed-out visitor's search or detail page stays cached; 0 turns the
# page cache off (every request renders the page).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Sessions are written to the database and read from the cache: a signed-in
# request reads its session without a query, and a session outlives a cache flush.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "portal.accounts.backends.PortalModelBackend",
    "portal.accounts.backends.PortalAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
# Sign-in limits per account (key: the e-mail typed) and per client address. The
# address is the client's even behind proxies (TRUSTED_PROXY_COUNT, read by the
# account adapter's get_client_ip), and its limit is looser than the account's: a
# service centre's residents share one address and one mistyping resident must not
# lock out the others, while five wrong passwords lock the account whoever types them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "5/h/ip,3/h/key",
}
# How many proxies of ours sit in front of the web processes (load balancer, nginx):
# 0 reads REMOTE_ADDR; N reads the N-th address from the right of X-Forwarded-For
# (portal.core.client_address). Never more than there are: the client writes the rest.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "portal.accounts.mfa_adapter.MFAAdapter"
MFA_TOTP_ISSUER = "GBA Health Portal"

# --- Languages ----------------------------------------------------------------
# The one place that lists the portal's languages and where their catalogues live.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hant", "繁體中文"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times in one style per language (portal/core/formatting.py).
FORMAT_MODULE_PATH = ["portal.core.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Hong_Kong"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hant", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en",),
    "zh-hant": ("zh-hans", "en"),
    "zh-hans": ("zh-hant", "en"),
}
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and private uploads ------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Sensitive uploads (transfer attachments) live outside any public path and are
# streamed only by views that check the requesting user's scope.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
# Largest transfer attachment accepted (bytes).
TRANSFER_ATTACHMENT_MAX_BYTES = env.int("TRANSFER_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# --- Request limits -------------------------------------------------------------
# A body over its limit is refused (413) before it is read, by its Content-Length
# (portal.core.bad_input): a multipart body may carry one upload and its form; any
# other body (a form, JSON) DATA_UPLOAD_MAX_MEMORY_SIZE. gunicorn limits the request
# line and headers (Procfile).
REQUEST_UPLOAD_MAX_BYTES = TRANSFER_ATTACHMENT_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file while the form is checked
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GBA Health Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------
# No broker: tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep the worker's database connections between tasks instead of Celery's
# connect-per-task (portal/celery.py recycles them by CONN_MAX_AGE and health).
CELERY_DB_REUSE_MAX = 2**62
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A write that notifies publishes after its commit. With the broker unreachable it
# must not wait: one connection attempt with a short timeout (max_retries 0 stops
# kombu's reconnect loop) and no publish retry; the outbox sweeper queues what could
# not be published (docs/notifications.md). Workers keep their own reconnect loop.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=0.1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "max_retries": 0,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks of every app (the README lists them under "Production shape").
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "notifications-sweep-outbox": {
        "task": "portal.notifications.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    "core-remove-orphan-files": {  # private uploads of rolled-back transactions
        "task": "portal.core.tasks.remove_orphan_files",
        "schedule": 3600.0,
    },
    "core-expire-idempotency-keys": {  # stored answers of API writes, kept 24 hours
        "task": "portal.core.tasks.expire_idempotency_keys",
        "schedule": 3600.0,
    },
    "appointments-generate-slots": {
        "task": "portal.appointments.tasks.generate_slots",
        "schedule": 3600.0,
    },
    "appointments-expire-waitlist-offers": {
        "task": "portal.appointments.tasks.expire_waitlist_offers",
        "schedule": 60.0,
    },
    "appointments-send-reminders": {
        "task": "portal.appointments.tasks.send_reminders",
        "schedule": 60.0,
    },
    "vouchers-expire-claims": {
        "task": "portal.vouchers.tasks.expire_claims",
        "schedule": 300.0,
    },
}

# --- Notifications ------------------------------------------------------------
SMS_BACKEND = env("SMS_BACKEND", default="portal.notifications.backends.ConsoleMessageBackend")
WHATSAPP_BACKEND = env("WHATSAPP_BACKEND", default="portal.notifications.backends.ConsoleMessageBackend")
# Delivery retries and the outbox sweep (docs/notifications.md).
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_BACKOFF_SECONDS = env.float("NOTIFICATIONS_BACKOFF_SECONDS", default=30)
NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = env.int("NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", default=300)
NOTIFICATIONS_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATIONS_REQUEUE_AFTER_SECONDS", default=300)
MESSAGE_FILE_PATH = env("MESSAGE_FILE_PATH", default=str(BASE_DIR / "sent_messages.jsonl"))

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    # The browser's session only (with CSRF), refused for staff until they have used
    # their second factor in the session. No HTTP Basic, no tokens: see
    # docs/decisions/0040-api-authentication.md.
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.accounts.second_factor.SessionAuthenticationWithSecondFactor"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON nested too deeply or holding control characters is refused (portal.core.bad_input).
    "DEFAULT_PARSER_CLASSES": [
        "portal.core.bad_input.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.core.schema.PortalAutoSchema",  # [fuzz] documents the common error answers
    # Counted per client address (TRUSTED_PROXY_COUNT) or account, in the shared cache;
    # views checking a secret (a one-time code) add throttle_scope = "sensitive".
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.core.throttling.AnonRateThrottle",
        "portal.core.throttling.UserRateThrottle",
        "portal.core.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
        "sensitive": env("API_THROTTLE_SENSITIVE", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GBA Cross-border Health Portal API",
    "DESCRIPTION": "Hospitals, the Medicine and Equipment Connect list, appointments, vouchers and transfers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set shared by several fields (spectacular --validate --fail-on-warn).
    "ENUM_NAME_OVERRIDES": {
        "ConnectItemKindEnum": "portal.medicines.models.ConnectItem.Kind",
        "ConnectItemStatusEnum": "portal.medicines.models.ConnectItem.Status",
        "ClaimStatusEnum": "portal.vouchers.models.Claim.Status",
        "IdentityDocumentEnum": "portal.accounts.models.IDENTITY_DOCUMENT_CHOICES",
        "EscortKindEnum": "portal.transfers.models.Escort.Kind",
        "TransferStateEnum": "portal.transfers.workflow.State",
    },
}

# --- Security -----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Map tiles are the one outside resource a page may load, and only when an
# operator configures a tile server; the map still works without them.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging ------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_identity": {"()": "portal.core.logging.RedactIdentityNumbersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_identity"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Vouchers -------------------------------------------------------------------
# The scheme's values (defaults are the published ones; see docs/domain/FACTS.md).
VOUCHER_ANNUAL_AMOUNT_HKD = env.int("VOUCHER_ANNUAL_AMOUNT_HKD", default=2000)
VOUCHER_ACCUMULATION_CAP_HKD = env.int("VOUCHER_ACCUMULATION_CAP_HKD", default=8000)
VOUCHER_ELIGIBLE_AGE = env.int("VOUCHER_ELIGIBLE_AGE", default=65)
# The portal's rules: hours a resident has to confirm a claim; wrong one-time codes
# allowed per claim; days after confirmation during which the service point may void it.
VOUCHER_CLAIM_CONFIRM_HOURS = env.int("VOUCHER_CLAIM_CONFIRM_HOURS", default=24)
VOUCHER_CODE_MAX_ATTEMPTS = env.int("VOUCHER_CODE_MAX_ATTEMPTS", default=5)
VOUCHER_VOID_WINDOW_DAYS = env.int("VOUCHER_VOID_WINDOW_DAYS", default=7)
# The reward pilot (docs/domain/FACTS.md): HK$500 once a calendar year after HK$1,000
# used on designated primary care, from 13 Nov 2023, extended to the end of 2028.
VOUCHER_REWARD_HKD = env.int("VOUCHER_REWARD_HKD", default=500)
VOUCHER_REWARD_THRESHOLD_HKD = env.int("VOUCHER_REWARD_THRESHOLD_HKD", default=1000)
VOUCHER_REWARD_FIRST_DAY = env("VOUCHER_REWARD_FIRST_DAY", default="2023-11-13")
VOUCHER_REWARD_LAST_DAY = env("VOUCHER_REWARD_LAST_DAY", default="2028-12-31")
# The voucher system of record (docs/vouchers.md): dotted path of a
# portal.vouchers.registry.VoucherRegistry class. Empty: none configured, and the
# portal shows no balance at all (only the claims made through it, and where to
# check the real balance). settings/local.py (`make run`) sets the simulator.
VOUCHER_REGISTRY = env("VOUCHER_REGISTRY", default="")
