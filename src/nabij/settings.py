"""One settings module, read from the environment (see README "Configuration")."""

from __future__ import annotations

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# The working directory holds the local SQLite file and secret key, so `nabij demo`
# works from any checkout without writing into the installed package.
WORK_DIR = Path(os.environ.get("NABIJ_DATA_DIR", Path.cwd()))

NABIJ_ENV = os.environ.get("NABIJ_ENV", "development").strip().lower()
if NABIJ_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"NABIJ_ENV must be development, production or test, not {NABIJ_ENV!r}.")
PRODUCTION = NABIJ_ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _local_secret_key() -> str:
    """Generate a key once and keep it beside the database, so sessions survive restarts."""
    path = WORK_DIR / ".nabij-secret-key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when NABIJ_ENV=production.")
    SECRET_KEY = _local_secret_key()

DEBUG = _env_bool("NABIJ_DEBUG", default=not PRODUCTION and NABIJ_ENV != "test")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when NABIJ_ENV=production (comma-separated).")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "axes",
    "nabij.core",
    "nabij.accounts",
    "nabij.socialmap",
    "nabij.people",
    "nabij.groups",
    "nabij.support",
    "nabij.monitor",
    "nabij.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nabij.core.middleware.MunicipalityScopeMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nabij.urls"
WSGI_APPLICATION = "nabij.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nabij.core.context_processors.nabij",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{WORK_DIR / 'nabij.sqlite3'}",
        conn_max_age=int(os.environ.get("NABIJ_DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's web process read while a task writes; the timeout avoids
    # "database is locked" under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses (without checking the password) while a login is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after this many failures for one e-mail address from one IP address, that
# combination is locked for a while. Per combination, so an attacker cannot lock a colleague out.
AXES_FAILURE_LIMIT = int(os.environ.get("NABIJ_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NABIJ_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "nabij.accounts.security.login_username"
AXES_LOCKOUT_CALLABLE = "nabij.accounts.security.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "nabij.accounts.security.client_ip"
# How many reverse proxies in front of Nabij append to X-Forwarded-For (0: none, use REMOTE_ADDR).
NABIJ_TRUSTED_PROXIES = int(os.environ.get("NABIJ_TRUSTED_PROXIES", "0"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Uploaded files (area imports) wait here for the task that reads them; workers must see the
# same directory, so in a multi-machine set-up it is a shared volume.
MEDIA_ROOT = Path(os.environ.get("NABIJ_MEDIA_ROOT", WORK_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_PERMISSIONS = 0o600

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("NABIJ_STATIC_ROOT", WORK_DIR / "staticfiles"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# NL Design System theme: a municipality's own design tokens (a CSS file among the static files,
# e.g. from its npm theme package) and the class that activates them on <html>.
NABIJ_THEME_CSS = os.environ.get("NABIJ_THEME_CSS", "vendor/voorbeeld-design-tokens/theme.css")
# The wayfinder's map tiles: PDOK's BRT background map (open data, Kadaster) by default.
# Empty: the map shows the markers without a background (e.g. on a network without internet).
NABIJ_MAP_TILES = os.environ.get(
    "NABIJ_MAP_TILES", "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
NABIJ_MAP_ATTRIBUTION = os.environ.get("NABIJ_MAP_ATTRIBUTION", "Kaartgegevens © Kadaster")
# An active support relation without a contact moment for this many weeks shows up as a signal.
NABIJ_CONTACT_SIGNAL_WEEKS = int(os.environ.get("NABIJ_CONTACT_SIGNAL_WEEKS", "4"))
NABIJ_THEME_CLASS = os.environ.get("NABIJ_THEME_CLASS", "voorbeeld-theme")
if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", NABIJ_THEME_CLASS):
    raise ImproperlyConfigured("NABIJ_THEME_CLASS must be one CSS class name, such as voorbeeld-theme.")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: "sync" runs in-process (the embedded default), "rq" queues on Redis
# for `nabij worker`. Production defaults to rq when REDIS_URL is set.
NABIJ_TASK_BACKEND = os.environ.get("NABIJ_TASK_BACKEND", "rq" if (PRODUCTION and REDIS_URL) else "sync")
if NABIJ_TASK_BACKEND not in {"sync", "rq"}:
    raise ImproperlyConfigured("NABIJ_TASK_BACKEND must be sync or rq.")
if NABIJ_TASK_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("NABIJ_TASK_BACKEND=rq needs REDIS_URL.")
NABIJ_TASK_QUEUE = os.environ.get("NABIJ_TASK_QUEUE", "nabij")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Nabij <noreply@localhost>")

OTP_TOTP_ISSUER = os.environ.get("NABIJ_OTP_ISSUER", "Nabij")
# Staff must never see (and so could never clone) someone's TOTP secret in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Eight hours: a working day. A session that passed the second factor should not last two weeks.
SESSION_COOKIE_AGE = int(os.environ.get("NABIJ_SESSION_AGE", str(8 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("NABIJ_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("NABIJ_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("NABIJ_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _env_bool("NABIJ_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NABIJ_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if not PRODUCTION:
    import warnings

    # Outside production, static files come from the finders; STATIC_ROOT exists only after collectstatic.
    warnings.filterwarnings("ignore", message="No directory at")
