"""Settings, read once from the environment.

Local use needs no configuration: SQLite and a generated secret key live in `var/`. Production
(`RECORDACCESS_ENV=production`) refuses to start without the settings that must not have defaults.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("RECORDACCESS_HOME", PACKAGE_DIR.parent)).resolve()
VAR_DIR = Path(os.environ.get("RECORDACCESS_VAR_DIR", HOME / "var")).resolve()

ENVIRONMENT = os.environ.get("RECORDACCESS_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("RECORDACCESS_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"
# Demo accounts with printed passwords and TOTP secrets exist only outside production.
DEMO_MODE = not PRODUCTION


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _local_secret_key(name: str = "secret_key") -> str:
    """A per-checkout key kept in var/, so sessions survive restarts on a developer's machine."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when RECORDACCESS_ENV=production.")
    SECRET_KEY = _local_secret_key()

DEBUG = _flag("DEBUG", default=not PRODUCTION)

ALLOWED_HOSTS = _list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when RECORDACCESS_ENV=production.")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS", [])
# The load balancers and proxies in front of the service (addresses or networks, comma-separated). Only a request
# arriving from one of them has its client's address taken from X-Forwarded-For (recordaccess/core/network.py); with
# none, the connecting address counts, whatever the header says.
TRUSTED_PROXIES = _list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network (like 10.0.0.0/8)."
        ) from None

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'recordaccess.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so the web process and the worker queue for it
        # instead of failing with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    if not DATABASE_URL.endswith(":memory:"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "recordaccess.audit",
    "recordaccess.practices",
    "recordaccess.patients",
    "recordaccess.outreach",
    # Listed here, not last, for `recordaccess demo` alone: it loads each app's demo in this order, and the
    # patients' answers come straight after the letters they answer. Layers are in docs/architecture.md.
    "recordaccess.replies",
    "recordaccess.intake",
    "recordaccess.review",
    "recordaccess.conversations",
    # After the apps whose demos ask questions (the request form's, the answers' by link), which its demo works.
    "recordaccess.questions",
    "recordaccess.assurance",
    "recordaccess.reports",
    "recordaccess.api",
    "recordaccess.proving",
    "recordaccess.health",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their long caching), before anything that may answer early: no answer
    # holding a patient's or a practice's data is kept by a browser or a proxy (core/caching.py).
    "recordaccess.core.caching.NoStoreByDefaultMiddleware",
    # Before anything reads a form: a multipart body larger than its page takes is refused unread (core/uploads.py).
    "recordaccess.core.uploads.RequestSizeLimitMiddleware",
    # Before anything reads the database: a NUL in any part of a request is a plain 400, never a 500.
    "recordaccess.core.unstorable.RefuseUnstorableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "recordaccess.practices.sessions.StaffIdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "recordaccess.practices.access.StaffAccessMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it is the first to see a view's exception: a service's refusal becomes a page a person reads.
    "recordaccess.core.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "recordaccess.urls"
WSGI_APPLICATION = "recordaccess.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "recordaccess.jinja2.environment",
            "context_processors": ["recordaccess.practices.access.layout_context"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

# --- Staff accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "practices.StaffUser"
LOGIN_URL = "staff:sign_in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock an account after five failed passwords; it unlocks after 30 minutes or when an administrator resets it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
# By account, not by address: a surgery's staff share one public IP, and locking it would lock them all out.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "recordaccess.practices.views.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "recordaccess"
# An invitation for an existing account to join another practice lapses after this many days unanswered.
STAFF_INVITATION_DAYS = int(os.environ.get("STAFF_INVITATION_DAYS", "7"))

# Idle staff sessions end after 30 minutes: the expiry moves on with every staff request
# (practices/sessions.py). Other sessions are written only when they change: a patient's page view writes nothing.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# `make serve-production` runs the production shape on this machine, over plain HTTP on the loopback address, for
# the journeys and the load and fault runs: then, and only then, cookies may travel without TLS. It is refused for
# any host name that is not this machine's, so it cannot weaken a real deployment.
LOCAL_HTTP = PRODUCTION and _flag("PRODUCTION_OVER_LOCAL_HTTP", False)
if LOCAL_HTTP and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
    raise ImproperlyConfigured(
        "PRODUCTION_OVER_LOCAL_HTTP is for this machine alone: ALLOWED_HOSTS may then name only 127.0.0.1, "
        "localhost or [::1]."
    )
if PRODUCTION and not LOCAL_HTTP:
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if _flag("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK frontend's CSS loads the Frutiger web font from the NHS's own asset host.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- API ------------------------------------------------------------------------------------------
# Calls a minute per API token, counted in the database so every web process shares the count.
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "120"))
# Calls without a valid token (unknown, expired, revoked) allowed from one address a minute; past it, 429 unrecorded.
API_REFUSED_PER_MINUTE = int(os.environ.get("API_REFUSED_PER_MINUTE", "30"))

# --- Static files ---------------------------------------------------------------------------------
# /assets/ is where the NHS.UK frontend's CSS expects its icons, so all static files live there.
STATIC_URL = "/assets/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files that hold personal data (identity document copies, when a practice keeps them): never served
# as static files; only an audited staff view reads them.
MEDIA_ROOT = VAR_DIR / "private"
# Those copies, and the reports, uploaded registers and exports the service writes (recordaccess/core/privatefiles.py),
# are open to the service's own account only, whatever the process's umask.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Built by `make install` from the npm package nhsuk-frontend; part of the installation, not of the data.
ASSETS_BUILD_DIR = HOME / "var" / "build" / "assets"
STATICFILES_DIRS = [PACKAGE_DIR / "static", ASSETS_BUILD_DIR]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Background work ------------------------------------------------------------------------------
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
REDIS_URL = os.environ.get("REDIS_URL", "")
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL, e.g. redis://127.0.0.1:6379/0.")
    TASKS = {"default": {"BACKEND": "recordaccess.tasks.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'db' or 'rq'.")
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
# The worker enqueues a heartbeat this often; /healthz calls the worker down when none ran for twice as long.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "30"))

# --- Messages -----------------------------------------------------------------------------------
# The address patients reach the public pages at, for links in messages.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where messages go: the embedded outbox (recorded, shown to staff) until a Notify channel is configured.
MESSAGE_CHANNEL = os.environ.get("MESSAGE_CHANNEL", "recordaccess.outreach.channels.OutboxChannel")
SEND_BATCH_SIZE = int(os.environ.get("SEND_BATCH_SIZE", "100"))
# GOV.UK Notify, when MESSAGE_CHANNEL=recordaccess.outreach.channels.NotifyChannel.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", "")
# How long to wait for Notify's answer. Without one the message may have gone: it is looked up by reference, after
# SEND_RETRY_BASE_SECONDS at least (production refuses a shorter one), before it is ever sent again.
NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "15"))
# The bearer token Notify sends with delivery receipts (set the same one in Notify's callback settings).
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
# What one text message fragment costs, in pence, for the estimate shown before a campaign is approved: set it
# to your service's current Notify price (a free allowance may cover part of the year's texts).
SMS_PRICE_PENCE = float(os.environ.get("SMS_PRICE_PENCE", "2.0"))
# What one letter costs, in pence, for the dashboard's estimate of what messages cost (reports): Notify's price of a
# one-sheet second-class letter, postage included, about 60p (set your own; letters printed in-house cost paper,
# toner and a stamp instead).
LETTER_PRICE_PENCE = float(os.environ.get("LETTER_PRICE_PENCE", "60"))
# How old a practice's dashboard figures may be before the worker's heartbeat rebuilds them (reports/tasks.py).
REPORTS_REFRESH_MINUTES = int(os.environ.get("REPORTS_REFRESH_MINUTES", "15"))
# Notify's documented limit per API key: 3,000 requests a minute. Shared by every worker (outreach/ratelimit.py).
NOTIFY_RATE_PER_MINUTE = int(os.environ.get("NOTIFY_RATE_PER_MINUTE", "3000"))
# Notify's daily limits per service (250,000 texts, 250,000 emails, 20,000 letters, from a secondary summary of
# Notify's API documentation; a service's own limits are on its Notify settings page). Sending waits for the
# next day rather than be refused.
NOTIFY_DAILY_LIMITS = {
    "sms": int(os.environ.get("NOTIFY_DAILY_SMS", "250000")),
    "email": int(os.environ.get("NOTIFY_DAILY_EMAIL", "250000")),
    "letter": int(os.environ.get("NOTIFY_DAILY_LETTERS", "20000")),
}
# The name the rate and daily allowances are counted under: one per Notify service (API key).
NOTIFY_LIMITS_KEY = os.environ.get("NOTIFY_LIMITS_KEY", "notify")
# Letters go to Notify as precompiled PDFs; set NOTIFY_LETTERS=0 to print them in-house from the outbox.
NOTIFY_LETTERS = os.environ.get("NOTIFY_LETTERS", "1") == "1"
NOTIFY_LETTER_POSTAGE = os.environ.get("NOTIFY_LETTER_POSTAGE", "second")
# A temporary failure is retried after 30 s, then 1, 2, 4… minutes, up to an hour, and given up after 8 tries;
# after an unclear outcome (Notify's answer lost) the retry first looks the message up by its reference.
SEND_RETRY_BASE_SECONDS = int(os.environ.get("SEND_RETRY_BASE_SECONDS", "30"))
SEND_MAX_ATTEMPTS = int(os.environ.get("SEND_MAX_ATTEMPTS", "8"))
if PRODUCTION and SEND_RETRY_BASE_SECONDS <= NOTIFY_TIMEOUT_SECONDS:
    raise ImproperlyConfigured(
        "SEND_RETRY_BASE_SECONDS must be longer than NOTIFY_TIMEOUT_SECONDS: a message whose answer was lost is "
        "looked up only after the retry delay, and a look-up made while Notify is still taking it would miss it."
    )
# A message still "sending" after this long was held by a worker that died: it is settled by looking it up by
# reference. Far longer than a batch takes to send, so a live worker's messages are never mistaken for stuck.
SEND_STUCK_AFTER_SECONDS = int(os.environ.get("SEND_STUCK_AFTER_SECONDS", "600"))
# How many tasks send one campaign at once (each on its own worker, when there are that many workers).
SEND_WORKERS = int(os.environ.get("SEND_WORKERS", "2"))
# How long a campaign's sender holds a worker before queuing itself again behind the tasks that came meanwhile
# (heartbeats, acknowledgements): outreach/tasks.py.
SEND_TURN_SECONDS = float(os.environ.get("SEND_TURN_SECONDS", "10"))
# A PDF of letters that could not be written for want of disk space is tried again by itself after this (H127).
LETTER_PRINT_RETRY_SECONDS = int(os.environ.get("LETTER_PRINT_RETRY_SECONDS", "60"))
if MESSAGE_CHANNEL.endswith("NotifyChannel") and not (
    NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID and NOTIFY_EMAIL_TEMPLATE_ID
):
    raise ImproperlyConfigured(
        "The Notify channel needs NOTIFY_API_KEY, NOTIFY_SMS_TEMPLATE_ID and NOTIFY_EMAIL_TEMPLATE_ID."
    )

# --- Requests from patients ----------------------------------------------------------------------------
# Starts of the public request form allowed per hour, from one client address (see TRUSTED_PROXIES) and to one
# practice; and progress checks per client. The practice's allowance is a share of its registered list (100 per
# 1,000 patients: 3,000 an hour for a list of 30,000, the hour after a campaign) and never below the floor. They
# are checked when the form starts, so an answer in progress always finishes; past them, a page says when to
# come back and gives the practice's phone number (intake/security.py).
INTAKE_PER_CLIENT_PER_HOUR = int(os.environ.get("INTAKE_PER_CLIENT_PER_HOUR", "10"))
INTAKE_PER_PRACTICE_PER_HOUR = int(os.environ.get("INTAKE_PER_PRACTICE_PER_HOUR", "600"))
INTAKE_PER_1000_PATIENTS_PER_HOUR = int(os.environ.get("INTAKE_PER_1000_PATIENTS_PER_HOUR", "100"))
STATUS_CHECKS_PER_CLIENT_PER_HOUR = int(os.environ.get("STATUS_CHECKS_PER_CLIENT_PER_HOUR", "20"))
# The largest body a public form accepts: every answer together is far smaller.
INTAKE_MAX_BODY_BYTES = int(os.environ.get("INTAKE_MAX_BODY_BYTES", "20000"))
# Conversations about records access: a text or email reminder this many hours before a booked time.
BOOKING_REMINDER_HOURS = int(os.environ.get("BOOKING_REMINDER_HOURS", "24"))
# Drop-in sessions booked from the public page (conversations/limits.py): posts (bookings and cancellations)
# per client address per hour, and bookings per phone number per hour; past them, a page says when to come back.
DROP_IN_POSTS_PER_CLIENT_PER_HOUR = int(os.environ.get("DROP_IN_POSTS_PER_CLIENT_PER_HOUR", "20"))
DROP_IN_BOOKINGS_PER_PHONE_PER_HOUR = int(os.environ.get("DROP_IN_BOOKINGS_PER_PHONE_PER_HOUR", "4"))

# NHS login (OpenID Connect) for patients to prove who they are at P9 from home. Unset: not offered.
NHS_LOGIN_ISSUER = os.environ.get("NHS_LOGIN_ISSUER", "").rstrip("/")
NHS_LOGIN_CLIENT_ID = os.environ.get("NHS_LOGIN_CLIENT_ID", "")
# Our private key (PEM) for private_key_jwt client authentication; NHS login holds the public half.
NHS_LOGIN_PRIVATE_KEY_FILE = os.environ.get("NHS_LOGIN_PRIVATE_KEY_FILE", "")

# --- Audit trail ---------------------------------------------------------------------------------
# The key that signs every audit entry (HMAC-SHA256) and every checkpoint. The database never holds it, so
# whoever can write the database still cannot forge, cut or re-hash the trail unseen (docs/decisions/0004).
AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE", "")
if not AUDIT_KEY and AUDIT_KEY_FILE:
    try:
        AUDIT_KEY = Path(AUDIT_KEY_FILE).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"AUDIT_KEY_FILE {AUDIT_KEY_FILE} cannot be read: {error.strerror}."
        ) from None
if not AUDIT_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "AUDIT_KEY or AUDIT_KEY_FILE must be set when RECORDACCESS_ENV=production."
        )
    AUDIT_KEY = _local_secret_key("audit_key")
if len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured("The audit key (AUDIT_KEY or AUDIT_KEY_FILE) must be at least 32 characters.")
# Signed checkpoints (entry count, head hash, time) go here, outside the database, at least this often.
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")).resolve()
AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("AUDIT_CHECKPOINT_SECONDS", "3600"))
if not 60 <= AUDIT_CHECKPOINT_SECONDS <= 3600:
    raise ImproperlyConfigured("AUDIT_CHECKPOINT_SECONDS must be between 60 and 3600 (at least hourly).")

# --- Locale ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- Request and upload sizes (docs/security/README.md) ----------------------------------------------------------
# A form's fields or a JSON body (the API's): at most 2 MB, refused by Django before it is read; every form and
# API body is far smaller.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Django's own limit, kept on purpose: a form with more fields than that is none of ours.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Each upload page takes one file.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# An uploaded file larger than this is written to a temporary file (readable by the service alone) while the
# request lasts, rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The files the upload pages take (core/uploads.py refuses a larger one before reading it): a register export
# (read in the background, in batches), the online-accounts export (read while the page waits: one short row an
# account, so about 2 MB for 30,000 patients), and a copy of identity documents.
REGISTER_UPLOAD_MAX_BYTES = int(os.environ.get("REGISTER_UPLOAD_MAX_BYTES", str(500 * 1024 * 1024)))
ONLINE_ACCOUNTS_UPLOAD_MAX_BYTES = int(
    os.environ.get("ONLINE_ACCOUNTS_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)
IDENTITY_DOCUMENT_MAX_BYTES = int(os.environ.get("IDENTITY_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # Django's own console handler would print each request error a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
