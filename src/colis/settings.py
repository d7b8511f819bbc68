"""colis settings: everything comes from the environment, with safe embedded defaults.

With nothing set, colis runs on SQLite in a data folder, SqliteHuey, local files and an
e-mail outbox. `DATABASE_URL` switches to PostgreSQL, `REDIS_URL` to RedisHuey.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from colis.common.config import env_bool, env_int, load_or_create_secret, resolve_data_dir

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = resolve_data_dir()

SECRET_KEY = os.environ.get("COLIS_SECRET_KEY") or load_or_create_secret(
    DATA_DIR / "secret_key", "Django SECRET_KEY"
)
DEBUG = env_bool("COLIS_DEBUG", default=False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("COLIS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("COLIS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
COLIS_BASE_URL = os.environ.get("COLIS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "colis.common",
    "colis.accounts",
    "colis.notifications",
    "colis.integrations",
    "colis.marketplaces",
    "colis.orders",
    "colis.privacy",
    "colis.shipping",
    "colis.feedback",
    "colis.webhooks",
    "colis.api",
    "colis.web",
    "colis.devtools",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "django_htmx",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "colis.api.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "colis.web.middleware.UserLanguageMiddleware",
]

ROOT_URLCONF = "colis.urls"
WSGI_APPLICATION = "colis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "colis.web.context.panel",
                "colis.notifications.context.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "colis.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server, the worker and the scheduler read while one writes;
                # IMMEDIATE takes the write lock up front instead of failing on upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- queue ----------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("COLIS_QUEUE_NAME", "colis"),
        "url": os.environ["REDIS_URL"],
        "immediate": env_bool("COLIS_QUEUE_IMMEDIATE", default=False),
        "consumer": {"workers": env_int("COLIS_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "colis",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": env_bool("COLIS_QUEUE_IMMEDIATE", default=False),
        "consumer": {"workers": env_int("COLIS_WORKERS", 2), "worker_type": "thread"},
    }

# --- auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Amazon's Data Protection Policy asks for at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "colis.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[colis] "
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = (
    False if env_bool("COLIS_DISABLE_RATE_LIMITS", default=False) else {}
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "colis"

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("COLIS_TIME_ZONE", "Europe/Paris")
USE_TZ = True

# --- files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "files"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- e-mail ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("COLIS_FROM_EMAIL", "colis <noreply@localhost>")
if os.environ.get("COLIS_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["COLIS_SMTP_HOST"]
    EMAIL_PORT = env_int("COLIS_SMTP_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("COLIS_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("COLIS_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("COLIS_SMTP_TLS", default=True)
else:
    # No SMTP configured: e-mails land in the outbox (panel › Operator › Outbox, `colis outbox`).
    EMAIL_BACKEND = "colis.notifications.outbox.OutboxEmailBackend"

# --- security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("COLIS_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- colis ----------------------------------------------------------------------------
# Comma-separated Fernet keys; the first encrypts, all decrypt. Without it, a key file in
# the data folder is generated on first start (see colis.common.crypto).
COLIS_ENCRYPTION_KEYS = os.environ.get("COLIS_ENCRYPTION_KEYS", "")
COLIS_ENCRYPTION_KEY_FILE = DATA_DIR / "encryption.key"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COLIS_LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "INFO"}, "django.db.backends": {"level": "WARNING"}},
}
