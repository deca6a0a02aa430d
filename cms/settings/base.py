"""Settings shared by every environment. Values that differ per deployment come
from the environment (see README "Konfigurasi")."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cms.platform.discovery import plugin_apps

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before wagtail.admin: its templates override Wagtail's to carry CSP nonces.
    "cms.security",
    "cms.accounts",
    "cms.home",
    "cms.news",
    "cms.facilities",
    "cms.reports",
    "cms.recaps",
    "cms.followup",
    "cms.compliance",
    "cms.dashboard",
    "cms.api",
    "cms.notifications",
    "cms.platform",
    "cms.ops",
    "cms.mobile",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with SIKANDA's role boundaries on the user forms.
    "cms.accounts.apps.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # After wagtail.admin: its ready() takes back Wagtail's workflow emails.
    "cms.desk",
    "modelcluster",
    "taggit",
    "django_filters",
    "guardian",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "graphene_django",
    "csp",
    # Needed by modeladmin list filters; its own URLs are not mounted.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Plugins: first-party ones in plugins/ and installed distributions that
    # advertise the `sikanda.plugins` entry point (cms/platform/discovery.py).
    *plugin_apps(BASE_DIR),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Officers and guests who open the admin are signed out (they use the app).
    "cms.accounts.admin_access.AdminRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts from this origin, or inline
# with the request's nonce (cms/security: Wagtail's inline scripts carry it);
# nothing from other hosts. The admin adds 'unsafe-inline' for styles only
# (cms/security/headers.py). /graphql/ answers JSON; attachments set their own.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/graphql/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Browser features no SIKANDA page uses; a view that needs one sets its own
# Permissions-Policy header.
SIKANDA_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}
# The admin calls no other host: no Gravatar (staff email hashes), no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is SQLite next to the code; production and CI set
# DATABASE_URL (postgres://...).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/address never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Kecamatan assignments of officers and verifiers are object permissions.
    "guardian.backends.ObjectPermissionBackend",
]
# SIKANDA has no use for guardian's shared anonymous user row: anonymous
# visitors only ever see published public content.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "wagtailadmin_login"

# Indonesian first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Report attachments: never under MEDIA_ROOT, served only after a permission check.
SIKANDA_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("SIKANDA_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
SIKANDA_ATTACHMENT_MAX_BYTES = int(os.environ.get("SIKANDA_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
# Largest photo accepted, in pixels (width × height), checked from the header
# at upload: decoding takes about 4 bytes a pixel whatever the file size. 60 MP
# is above the full-resolution mode of 50 MP phone cameras (8192 × 6144).
SIKANDA_IMAGE_MAX_PIXELS = int(os.environ.get("SIKANDA_IMAGE_MAX_PIXELS", 60_000_000))
WAGTAILIMAGES_MAX_IMAGE_PIXELS = SIKANDA_IMAGE_MAX_PIXELS
# Attachments of one report, all requests together (the API also refuses a
# request carrying more files than this before reading past the limit).
SIKANDA_ATTACHMENT_MAX_COUNT = int(os.environ.get("SIKANDA_ATTACHMENT_MAX_COUNT", 10))
# Where reports may be located (Kalimantan Selatan) and how old an event may
# be when it is first reported.
SIKANDA_BOUNDING_BOX = {"south": -4.2, "north": -1.3, "west": 114.3, "east": 116.6}
SIKANDA_EVENT_MAX_AGE_DAYS = int(os.environ.get("SIKANDA_EVENT_MAX_AGE_DAYS", 366))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Report attachments (cms/reports/storage.py): no URL, served only by the
    # permission-checked view.
    "private": {"BACKEND": "cms.reports.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# SIKANDA_STORAGE=s3 puts public media and report attachments in an
# S3-compatible object store (AWS S3, MinIO, Ceph, Wasabi, ...) through
# django-storages. Attachments go under "private/" (or their own bucket) and
# never get a URL; public media under "public/", served from the bucket (its
# public prefix must allow anonymous reads) or SIKANDA_S3_PUBLIC_DOMAIN.
def s3_storages(environ):
    """STORAGES entries for SIKANDA_STORAGE=s3, from the SIKANDA_S3_* variables."""
    if not environ.get("SIKANDA_S3_BUCKET"):
        raise ImproperlyConfigured("SIKANDA_STORAGE=s3 needs SIKANDA_S3_BUCKET.")
    common = {
        "bucket_name": environ["SIKANDA_S3_BUCKET"],
        "endpoint_url": environ.get("SIKANDA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("SIKANDA_S3_REGION") or None,
        "access_key": environ.get("SIKANDA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("SIKANDA_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": environ.get("SIKANDA_S3_ADDRESSING_STYLE") or None,
        # Never overwrite: two uploads with one name both keep their bytes.
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "public",
                "querystring_auth": False,
                "custom_domain": environ.get("SIKANDA_S3_PUBLIC_DOMAIN") or None,
            },
        },
        "private": {
            "BACKEND": "cms.reports.storage_s3.PrivateS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": environ.get("SIKANDA_S3_PRIVATE_BUCKET") or common["bucket_name"],
                "location": "private",
            },
        },
    }


SIKANDA_STORAGE = os.environ.get("SIKANDA_STORAGE", "filesystem").strip().lower()
if SIKANDA_STORAGE == "s3":
    STORAGES.update(s3_storages(os.environ))
elif SIKANDA_STORAGE != "filesystem":
    raise ImproperlyConfigured("SIKANDA_STORAGE is 'filesystem' (default) or 's3'.")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# /readyz (cms/ops): the worker is alive when a heartbeat task finished within
# WORKER_HEARTBEAT_SECONDS; a queued heartbeat nobody ran for
# WORKER_GRACE_SECONDS fails the probe.
SIKANDA_HEALTH = {
    "WORKER_HEARTBEAT_SECONDS": int(os.environ.get("SIKANDA_HEALTH_HEARTBEAT_SECONDS", 60)),
    "WORKER_GRACE_SECONDS": int(os.environ.get("SIKANDA_HEALTH_GRACE_SECONDS", 120)),
}

# Background work (search indexing now; notifications later) goes through
# Django's task framework, as Wagtail's own does. The embedded default runs tasks
# in-process; production points this at a database-backed worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "SIKANDA_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# A task row RUNNING for longer than this has lost its worker (killed in the
# middle): the sweeper marks it FAILED (cms/ops/tasks_recovery.py). Keep it
# above the longest task and above SIKANDA_OUTBOX["LEASE_SECONDS"].
SIKANDA_TASK_STALE_SECONDS = int(os.environ.get("SIKANDA_TASK_STALE_SECONDS", 600))

# The one delivery engine (cms/platform/outbox.py) behind the notification
# outbox and the webhook deliveries: retry with exponential backoff, a lease
# so a dead worker's delivery is picked up again by the sweeper. A kind's own
# sub-dict ("notifications", "webhooks") overrides these keys.
SIKANDA_OUTBOX = {
    "MAX_ATTEMPTS": int(
        os.environ.get(
            "SIKANDA_OUTBOX_MAX_ATTEMPTS", os.environ.get("SIKANDA_NOTIFY_MAX_ATTEMPTS", 10)
        )
    ),
    "BACKOFF_SECONDS": 30,
    "MAX_BACKOFF_SECONDS": 3600,
    # A dead worker's claim is taken over after this; keep it above every
    # channel's timeout.
    "LEASE_SECONDS": int(os.environ.get("SIKANDA_OUTBOX_LEASE_SECONDS", 120)),
    # With the database queue every row has a task waiting; the sweeper takes
    # a pending row for lost only once it has been due this long.
    "SWEEP_GRACE_SECONDS": int(os.environ.get("SIKANDA_OUTBOX_SWEEP_GRACE_SECONDS", 300)),
}
# Webhook endpoints may not point at loopback, private, link-local or other
# non-public addresses, nor at this site, unless a host name, address or
# network (CIDR) is listed here.
SIKANDA_WEBHOOKS_ALLOWED_HOSTS = env_list("SIKANDA_WEBHOOKS_ALLOWED_HOSTS")

WAGTAIL_SITE_NAME = "SIKANDA Kabupaten Balangan"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# The demo data command writes fake people and fake reports; never in production.
SIKANDA_DEMO_DATA_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # One line per background task and per page save drowns what operators need.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.reports.workflows.finish_workflow"
# The admin speaks WITA only (a user's profile cannot switch it to another
# zone), has no "What's new in Wagtail" banner, and labels its sign-in form.
WAGTAIL_USER_TIME_ZONES = ["Asia/Makassar"]
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_USER_LOGIN_FORM = "cms.accounts.forms.SikandaLoginForm"

# Device tokens for the mobile API (cms/accounts/tokens.py).
SIKANDA_ACCESS_TOKEN_SECONDS = int(os.environ.get("SIKANDA_ACCESS_TOKEN_SECONDS", 60 * 60))
SIKANDA_REFRESH_TOKEN_SECONDS = int(
    os.environ.get("SIKANDA_REFRESH_TOKEN_SECONDS", 60 * 60 * 24 * 30)
)
# How long a rotated refresh token may be presented again to get the same new
# pair (an answer lost on a weak network); after that, reuse revokes the session.
SIKANDA_REFRESH_GRACE_SECONDS = int(os.environ.get("SIKANDA_REFRESH_GRACE_SECONDS", 60))

# Guests may not register these names, nor names that look like them, nor
# names starting with a prefix below (role names are added in code).
SIKANDA_RESERVED_USERNAMES = [
    "admin", "administrator", "root", "superuser", "sikanda", "kesbangpol", "balangan",
    "staf", "staff", "operator", "sistem", "system", "support", "bantuan", "keamanan",
    "security", "webmaster", "postmaster", "noreply",
]
SIKANDA_RESERVED_USERNAME_PREFIXES = ["admin", "kesbangpol", "sikanda", "operator"]

# Failed logins (admin and API) are counted per username and address; after
# AXES_FAILURE_LIMIT the pair is locked out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "cms.accounts.lockout.lockout_response"

# GraphQL API (cms/api).
GRAPHENE = {
    "SCHEMA": "cms.api.schema.schema",
    "ATOMIC_MUTATIONS": False,
    "MIDDLEWARE": [
        "cms.api.middleware.PluginGateMiddleware",
        "cms.platform.api.inputs.ArgumentMiddleware",
    ],
}
# Limits of the GraphQL endpoint (README, "Limits"), each checked before the
# work it bounds: body sizes from Content-Length before the body is read,
# query bytes before parsing, tokens while parsing, fields and depth before
# validation.
SIKANDA_API = {
    "MAX_BODY_BYTES": int(os.environ.get("SIKANDA_API_MAX_BODY_BYTES", 1024 * 1024)),
    "MAX_UPLOAD_BYTES": int(os.environ.get("SIKANDA_API_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)),
    "MAX_FILES": SIKANDA_ATTACHMENT_MAX_COUNT,
    "MAX_QUERY_BYTES": 32 * 1024,
    "MAX_TOKENS": 2000,
    "MAX_DEPTH": 10,
    "MAX_PAGE_SIZE": 50,
    "MAX_ALIASES": 15,
    "MAX_FIELDS": 400,
    # Parsed documents kept per process: entries, and bytes of query text
    # (about 120 bytes of memory per byte of text).
    "DOCUMENT_CACHE_ENTRIES": 256,
    "DOCUMENT_CACHE_BYTES": 512 * 1024,
    "INTROSPECTION": False,
    "GRAPHIQL": False,
}
