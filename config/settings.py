"""Django settings for PCMD.

Development and tests run on an embedded SQLite file with no configuration.
Production reads everything that differs from the environment (``config.env`` refuses a
missing or invalid value with one line naming the variable):

- ``PCMD_ENV``: ``development`` (the default) or ``production``, which switches on the
  hardened settings below and makes the next three variables required;
- ``DATABASE_URL`` (e.g. ``postgres://user:pass@host:5432/pcmd``); without it development
  uses ``PCMD_SQLITE_URL`` (default ``sqlite:///var/pcmd.sqlite3``);
- ``PCMD_SECRET_KEY``, ``PCMD_ALLOWED_HOSTS`` (comma separated);
- ``PCMD_DEBUG`` (1/0; default 1 in development, 0 in production);
- ``PCMD_SSL_REDIRECT`` (1/0, production; default 1: switch off only behind a proxy that
  redirects itself);
- ``PCMD_FIELD_KEYS`` (Fernet keys, newest first) and ``PCMD_BLIND_INDEX_KEY``: required in
  production; development generates its own under ``var/`` (config/keys.py);
- ``PCMD_BREAK_GLASS_HOURS`` (3), ``PCMD_ACCESS_REVIEW_DAYS`` (7): emergency access;
- ``PCMD_AXES`` (1/0, default 1): login lockout after repeated failures;
- ``PCMD_EMAIL_HOST``, ``PCMD_EMAIL_PORT`` (587), ``PCMD_EMAIL_USER``,
  ``PCMD_EMAIL_PASSWORD``, ``PCMD_EMAIL_TLS`` (1/0, default 1), ``PCMD_EMAIL_FROM``:
  report reminders are also e-mailed when ``PCMD_EMAIL_HOST`` is set;
- ``PCMD_IMPORT_BACKGROUND_ROWS`` (default 2000): spreadsheet imports of at least this many
  rows run as background jobs; ``PCMD_IMPORT_THREADS`` (1/0, default 1): run them in a thread
  of the web process (0: only the ``run_import_jobs`` command runs them);
  ``PCMD_IMPORT_STALE_SECONDS`` (default 900): a job silent that long is marked stopped;
- ``PCMD_STATIC_ROOT``, ``PCMD_MEDIA_ROOT`` (default ``var/static``, ``var/media``): where
  collected static files and uploaded files live (deploy/README.md);
- ``PCMD_CACHE_ROOT`` (default ``var/cache``): the answers the home page and dashboard keep
  (pcmd.core.datacache), shared by the workers of one machine; ``PCMD_ANSWER_CACHE`` (1/0,
  default 1) turns keeping them off;
- ``PCMD_REQUEST_LOG`` (1/0, default 1): one JSON line per request (pcmd.core.request_log);
- ``DATABASE_REPLICA_URL`` (optional, PostgreSQL): a streaming standby that the dashboard,
  exports and indicator API read (pcmd.core.db_router); ``PCMD_REPLICA_PIN_SECONDS`` (10): a
  user who wrote reads the primary this long; ``PCMD_REPLICA_MAX_LAG`` (30): a standby further
  behind than this many seconds is not read; ``PCMD_REPLICA_CHECK_SECONDS`` (5): how often each
  process checks it.
- ``PCMD_DEMO_NATIONAL`` (default ``all``): the provinces ``make demo`` loads for the
  national view (``all``, or GSO province codes, comma separated).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config import env, keys

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = env.choice("PCMD_ENV", ("development", "production"), "development")
PRODUCTION = ENV == "production"

DEBUG = env.flag("PCMD_DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env.required(
        "PCMD_SECRET_KEY", "set a long random secret (e.g. 50 characters) for production."
    )
    ALLOWED_HOSTS = env.host_list(
        "PCMD_ALLOWED_HOSTS", "list the host names the site answers to, comma separated."
    )
else:
    SECRET_KEY = env.optional(
        "PCMD_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
    )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pcmd.core",
    "pcmd.accounts",
    "pcmd.geo",
    "pcmd.agencies",
    "pcmd.plans",
    "pcmd.registry",
    "pcmd.inspections",
    "pcmd.enforcement",
    "pcmd.hotspots",
    "pcmd.outreach",
    "pcmd.communes",
    "pcmd.taskreports",
    "pcmd.budget",
    "pcmd.people",
    "pcmd.cases",
    "pcmd.support",
    "pcmd.indicators",
    "pcmd.reporting",
    "pcmd.dashboard",
    "pcmd.national",
    "pcmd.api",
    "pcmd.home",
    "pcmd.web",
]

MIDDLEWARE = [
    # One JSON line per request (request id, user id, path, status, duration): pcmd.request.
    "pcmd.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pcmd.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL characters cannot reach PostgreSQL: 400 in both languages (pcmd.api.middleware).
    "pcmd.api.middleware.NulRefusalMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (two-factor)
    "pcmd.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed in with a password only: the second factor (or enrolment) first.
    "pcmd.web.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # An indicator question the engine cannot answer: 400 in both languages, page or API.
    "pcmd.indicators.refusals.EngineRefusalMiddleware",
    # With a read replica: a user who wrote reads the primary for a while (pcmd.core.db_router).
    "pcmd.core.db_router.ReplicaPinMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Drop-down lists are written in Python (pcmd/web/renderers.py); other widgets use templates.
FORM_RENDERER = "pcmd.web.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pcmd" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcmd.web.context.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
if PRODUCTION:
    # Production never falls back to the embedded SQLite file.
    _database_url = env.required(
        "DATABASE_URL", "production needs a database, e.g. postgres://user:pass@host:5432/pcmd."
    )
else:
    _database_url = env.optional("DATABASE_URL") or env.optional(
        "PCMD_SQLITE_URL", f"sqlite:///{BASE_DIR / 'var' / 'pcmd.sqlite3'}"
    )
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The covering indexes (INCLUDE, pcmd/enforcement/models.py) are for PostgreSQL; SQLite
    # builds them on their key columns, which is all it needs: its warning says nothing.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database serve several requests at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Optional read replica (pcmd.core.db_router): marked read-only work reads a streaming standby.
_replica_url = env.optional("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    if any("postgresql" not in DATABASES[a]["ENGINE"] for a in ("default", "replica")):
        raise env.ConfigurationError(
            "DATABASE_REPLICA_URL needs PostgreSQL: set DATABASE_URL to the primary too."
        )
    DATABASES["replica"]["OPTIONS"] = {
        "connect_timeout": 3,  # a replica that does not answer must not hold a page long
        **DATABASES["default"].get("OPTIONS", {}),
        **DATABASES["replica"].get("OPTIONS", {}),
    }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pcmd.core.db_router.ReplicaRouter"]
PCMD_REPLICA_PIN_SECONDS = env.integer("PCMD_REPLICA_PIN_SECONDS", 10)
PCMD_REPLICA_MAX_LAG = env.integer("PCMD_REPLICA_MAX_LAG", 30)
PCMD_REPLICA_CHECK_SECONDS = env.integer("PCMD_REPLICA_CHECK_SECONDS", 5)
# Home page and dashboard answers kept while the tables they read are unchanged
# (pcmd.core.datacache): checked against the tables' stamps before every use, so a cache that
# is not shared (another machine) is only slower, never wrong. Files: shared by the workers of
# one machine, and by the replica pin (pcmd.core.db_router).
PCMD_ANSWER_CACHE = env.flag("PCMD_ANSWER_CACHE", True)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(env.optional("PCMD_CACHE_ROOT") or BASE_DIR / "var" / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and passwords ----------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes): 5 failures per user+IP, 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.flag("PCMD_AXES", True)
AXES_LOCKOUT_CALLABLE = "pcmd.api.errors.lockout_response"  # JSON under /api/, else the page

# Two-factor sign-in (pcmd.accounts.two_factor): TOTP apps show this issuer name.
OTP_TOTP_ISSUER = "PCMD"

# Sessions live in the database so web processes stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -----------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.flag("PCMD_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.optional("PCMD_STATIC_ROOT") or BASE_DIR / "var" / "static")
MEDIA_ROOT = Path(env.optional("PCMD_MEDIA_ROOT") or BASE_DIR / "var" / "media")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here after collectstatic
STATICFILES_DIRS = [BASE_DIR / "pcmd" / "web" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "pcmd.api.pagination.BoundedPagination",
    "PAGE_SIZE": 200,
    "EXCEPTION_HANDLER": "pcmd.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": __import__("datetime").timedelta(hours=10),
    "AUTO_REFRESH": True,
}


def _enum_overrides() -> dict[str, object]:
    """Name every choices class after itself in the OpenAPI schema (no "Status5cfEnum")."""
    import re

    found: dict[str, object] = {}
    pattern = re.compile(r"^class (\w+)\(models\.(?:TextChoices|IntegerChoices)\)", re.M)
    for path in sorted((BASE_DIR / "pcmd").glob("*/models*.py")):
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(f"{name}Enum", f"pcmd.{path.parent.name}.models.{name}")
    # A criminal case's origin keeps its name beside a support case's (CaseOriginEnum).
    found["OriginEnum"] = _case_origins
    # The types of plan a draft may have (a national programme is loaded, never drafted).
    found["DraftablePlanTypeEnum"] = ["yearly", "programme"]
    return found


def _case_origins() -> object:
    from pcmd.cases.models import Case

    return Case._meta.get_field("origin").choices


SPECTACULAR_SETTINGS = {
    "TITLE": "PCMD API",
    "DESCRIPTION": "Prostitution-prevention plan management (PCMD) REST API.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": _enum_overrides(),
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pcmd.api.schema.complete_schema",
    ],
}

# --- Person layer (DESIGN.md §4; config/keys.py) ---------------------------
PCMD_FIELD_KEYS, PCMD_BLIND_INDEX_KEY = keys.load(BASE_DIR, PRODUCTION)
# Emergency access ("break the glass") lasts this long; unreviewed uses older than the
# review period are flagged.
PCMD_BREAK_GLASS_HOURS = env.integer("PCMD_BREAK_GLASS_HOURS", 3)
PCMD_ACCESS_REVIEW_DAYS = env.integer("PCMD_ACCESS_REVIEW_DAYS", 7)
# Retention (pcmd.people.retention): years after a person's involvement in a module ended
# before the identity may be removed, unless the module registers its own rule (enforcement:
# the day the person is deemed never sanctioned, Law 15/2012 Art. 7). Policy defaults, not law.
PCMD_RETENTION_YEARS = {"enforcement": 1, "support": 5, "cases": 10}
# Data-subject requests (pcmd.people.requests): days to complete each kind from receipt, and
# the one extension allowed. Decree 356/2025/ND-CP (secondary sources: Frasers Vietnam
# 19/01/2026, CDLAF): acknowledge within 2 working days; withdrawal of consent, restriction or
# objection within 15 days, extendable once by 15 days. The figures for access, correction and
# deletion (10, 10, 20) are UNVERIFIED ("10 to 20 days" in CDLAF): confirm against the decree.
PCMD_DSR_DEADLINE_DAYS = {
    "access": 10,
    "correction": 10,
    "deletion": 20,
    "objection": 15,
    "withdrawal": 15,
}
PCMD_DSR_EXTENSION_DAYS = 15
PCMD_DSR_ACK_WORKING_DAYS = 2

# --- Demo ----------------------------------------------------------------
# The demo (pcmd.core.demo) runs these in order: the base every test database holds, then
# one year of each register (later registers refer to earlier ones).
# Spreadsheet imports of at least this many data rows run as background jobs (a progress bar,
# then a result page); threads start when the upload's transaction commits (set
# PCMD_IMPORT_THREADS to 0 to leave them to the ``run_import_jobs`` command). A job silent for
# PCMD_IMPORT_STALE_SECONDS while checking or saving is marked stopped by that command.
PCMD_IMPORT_BACKGROUND_ROWS = env.integer("PCMD_IMPORT_BACKGROUND_ROWS", 2_000)
PCMD_IMPORT_THREADS = env.flag("PCMD_IMPORT_THREADS", True)
PCMD_IMPORT_STALE_SECONDS = env.integer("PCMD_IMPORT_STALE_SECONDS", 900)

PCMD_DEMO_BASE = [
    "pcmd.geo.demo.load_base",
    "pcmd.agencies.demo.load_base",
    "pcmd.plans.demo.load_base",
    "pcmd.indicators.demo.load_base",
    "pcmd.accounts.demo.load_base",
]
PCMD_DEMO_REGISTERS = [
    f"pcmd.{app}.demo.build"
    for app in [
        "registry",
        "hotspots",
        "inspections",
        "enforcement",
        "cases",
        "outreach",
        "communes",
        "taskreports",
        "budget",
        "support",
        "reporting",
    ]
]
# The national view (issue 15 §2): more provinces and their approved synthesis reports;
# "all" loads every province (the 2025 map of 34), or a list of province codes.
PCMD_DEMO_REGISTERS += ["pcmd.national.demo.build"]
# The 2026 plan of the new Đắk Lắk and 2026 data on the new communes (issue 14, item 6).
PCMD_DEMO_REGISTERS += [f"pcmd.{app}.demo_2026.build" for app in ["plans", "registry", "inspections", "enforcement", "hotspots", "outreach"]]  # fmt: skip
PCMD_DEMO_NATIONAL: str | list[str] = env.optional("PCMD_DEMO_NATIONAL", "all")

# --- E-mail (report reminders) ------------------------------------------
# Reminders are always shown in the app; they are also e-mailed when PCMD_EMAIL_HOST is set.
if env.optional("PCMD_EMAIL_HOST"):
    EMAIL_HOST = env.optional("PCMD_EMAIL_HOST")
    EMAIL_PORT = env.integer("PCMD_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.optional("PCMD_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env.optional("PCMD_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env.flag("PCMD_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env.optional("PCMD_EMAIL_FROM", "pcmd@localhost")

# --- Logging --------------------------------------------------------------
# Requests as JSON lines on standard error (journald, docker logs); PCMD_REQUEST_LOG=0 mutes
# them. Errors and warnings of every logger are JSON lines too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pcmd.core.request_log.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "pcmd.request": {
            "handlers": ["console"],
            "level": "INFO" if env.flag("PCMD_REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        }
    },
}
