"""Settings for coverage_site, read from the environment in this one place.

Every knob an operator turns is an environment variable; see "Configuration" in README.md.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    """Read a comma-separated environment variable into a list."""
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(`make run` generates one in .secret_key)."
        )
    SECRET_KEY = "django-insecure-debug-only-key-never-used-in-production"

# DJANGO_ALLOWED_HOSTS is the documented name; ALLOWED_HOSTS is accepted as an alias.
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "reversion",
    "coverage_site",
    "axes",
    "topics",
    "images",
    "people",
    "articles",
    "importer",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coverage_site.page_cache.PublicPageCacheMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coverage_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coverage_site.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "coverage_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A database that is down or hung fails a request within this many seconds (a 503), instead of
# holding a worker until gunicorn kills it: connect timeout, and in web processes a deadline on
# every query plus PostgreSQL's statement_timeout (coverage_site/db/deadlines.py).
DATABASE_TIMEOUT = float(os.environ.get("DJANGO_DB_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "coverage_site.db.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", max(2, round(DATABASE_TIMEOUT))
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the database lock when their transaction starts, so two saves at once
    # queue up instead of failing with "database is locked"; WAL lets readers carry on.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    # Tests use a file, not memory, so that concurrent saves meet real SQLite locking;
    # one file per test process, so two test runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"coverage_site_test_{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # staff passwords guard unpublished copy
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images and their renditions: MEDIA_ROOT on this machine, or S3-compatible object
# storage (django-storages, `pip install -r requirements-s3.txt`) when several servers share them.
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
if os.environ.get("S3_BUCKET"):
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("S3_LOCATION", ""),
            # Public, immutable objects with stable URLs; credentials come from boto3's own
            # environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# The app serves renditions from MEDIA_ROOT itself unless a proxy or object storage does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=not os.environ.get("S3_BUCKET"))
IMAGE_MAX_UPLOAD_MB = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "25"))
IMAGE_MAX_MEGAPIXELS = int(os.environ.get("IMAGE_MAX_MEGAPIXELS", "50"))

STORAGES = {
    "default": MEDIA_STORAGE,
    # Hashed names (cache forever) and gzip/brotli copies, served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# /favicon.ico and /apple-touch-icon.png, which browsers ask for at the site's root.
WHITENOISE_ROOT = BASE_DIR / "webroot"

SITE_NAME = os.environ.get("SITE_NAME", "Coverage")
SITE_TAGLINE = os.environ.get(
    "SITE_TAGLINE", "Analysis of relationships, systems, doctrines and events"
)
# A static path (under static/) or an absolute URL; 512 px square or wider works everywhere.
SITE_LOGO = os.environ.get("SITE_LOGO", "brand/logo.png")

# The largest document `import_article` and the admin's import page accept.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))

# The cache every worker shares. Several machines: REDIS_URL. One machine: diskcache's SQLite
# files under CACHE_DIR, shared by every process with no server to run (see README, "Caching").
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "coverage")
# After a cache failure, leave it alone this long before trying again (a circuit breaker).
CACHE_BREAKER_SECONDS = float(os.environ.get("CACHE_BREAKER_SECONDS", "3"))
if REDIS_URL:
    # A Redis that is down or hung costs one short timeout, not one per request.
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.1"))
    CACHES = {
        "default": {
            "BACKEND": "coverage_site.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "BREAKER_SECONDS": CACHE_BREAKER_SECONDS,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "retry_on_timeout": False,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "coverage_site.cache_backends.FailSoftDiskCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "BREAKER_SECONDS": CACHE_BREAKER_SECONDS,
            "TIMEOUT": 600,
            # diskcache culls least-recently-stored entries past this size.
            "OPTIONS": {
                "size_limit": int(os.environ.get("CACHE_SIZE_LIMIT_MB", "1024")) * 2**20,
                # Pages live inside SQLite rather than as separate files (one read, not two).
                "disk_min_file_size": 2**20,
            },
        }
    }

# Anonymous readers' public pages come from the cache (coverage_site/page_cache.py).
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Pages each process keeps a copy of (checked against the shared journal before every use).
PAGE_CACHE_RECENT_PAGES = int(os.environ.get("PAGE_CACHE_RECENT_PAGES", "200"))
# How often each process looks for invalidations the cache missed (see README, "Faults").
PAGE_CACHE_REPLAY_SECONDS = float(os.environ.get("PAGE_CACHE_REPLAY_SECONDS", "1"))
# A dotted path to a callable given the keys of every change, e.g. to purge a CDN; off if empty.
PAGE_CACHE_PURGE_HOOK = os.environ.get("PAGE_CACHE_PURGE_HOOK", "")
PAGE_CACHE_PURGE_URL = os.environ.get("PAGE_CACHE_PURGE_URL", "")
PAGE_CACHE_PURGE_TOKEN = os.environ.get("PAGE_CACHE_PURGE_TOKEN", "")
# What browsers and CDNs are told about public pages.
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))
PAGE_SHARED_MAX_AGE = int(os.environ.get("PAGE_SHARED_MAX_AGE", "300"))
PAGE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_STALE_WHILE_REVALIDATE", "60"))

# E-mail: Django's backend (console by default; set DJANGO_EMAIL_BACKEND and EMAIL_* for SMTP).
# The newsroom's hand-over e-mails (submitted, sent back, published) go out only when enabled.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
NEWSROOM_EMAIL_NOTIFICATIONS = env_bool("NEWSROOM_EMAIL_NOTIFICATIONS", default=False)

# `make bench` serves a minimal page at /bench/floor/ to measure the framework's own floor.
BENCH_FLOOR = env_bool("COVERAGE_BENCH_FLOOR", default=False)

# Security headers that are right on every deployment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: only this site's own files run or style a page. Public pages carry
# no inline script or style (JSON-LD is a data block, which CSP neither runs nor blocks), so no
# nonce is needed, and a cached page stays byte-identical for every reader. Article bodies may
# show images from other https sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Permissions-Policy: the site uses none of the browser's powerful features; deny them all.
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics",
        "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid",
        "idle-detection", "local-fonts", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    ],
    [],
)  # fmt: skip

# Logins: after DJANGO_LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one
# address, further tries are refused for DJANGO_LOGIN_LOCKOUT_MINUTES (django-axes).
# `manage.py axes_reset_username <name>` unlocks sooner.
AUTHENTICATION_BACKENDS = [
    "coverage_site.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind N proxies that append to X-Forwarded-For, the reader's address is N from the right;
# without a proxy, only the connection's own address is believed (a header can be forged).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)

# Staff sessions end after DJANGO_SESSION_HOURS without a request (each request renews them).
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_HOURS", "12")) * 3600)
SESSION_SAVE_EVERY_REQUEST = True
LOGIN_URL = "admin:login"
# A login whose `next` is refused (another site) lands in the newsroom, not on a 404.
LOGIN_REDIRECT_URL = "admin:index"

# An article body longer than this is refused with a form error (a long analysis is ~60,000).
ARTICLE_BODY_MAX_CHARS = int(os.environ.get("ARTICLE_BODY_MAX_CHARS", "200000"))

# Behind TLS (DJANGO_HTTPS=1): the proxy terminates TLS, so trust its header, send
# every plain request to https, keep cookies off plain http, and tell browsers to remember.
if env_bool("DJANGO_HTTPS", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)

# `check --deploy` warnings silenced on purpose, each for a reason:
SILENCED_SYSTEM_CHECKS = []
if not env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False):
    # W005: HSTS on every subdomain would force https on sites this app does not run; the
    # operator opts in with DJANGO_HSTS_INCLUDE_SUBDOMAINS=1 once they all serve https.
    SILENCED_SYSTEM_CHECKS.append("security.W005")
if not env_bool("DJANGO_HSTS_PRELOAD", default=False):
    # W021: browser preload lists are hard to leave; the domain's owner opts in with
    # DJANGO_HSTS_PRELOAD=1 (with include-subdomains), not this app by default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "coverage_site.log_filters.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        # A forged Host header is logged as one line (the host), not a traceback.
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
