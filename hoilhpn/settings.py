"""Settings for hoilhpn, read from the environment.

One module for every deployment: the defaults run a local copy on SQLite, and
production sets DATABASE_URL, SECRET_KEY, DEBUG and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only exists so that a fresh checkout runs; the served application refuses it unless DEBUG is on
# (see ``hoilhpn.startup``).
FALLBACK_SECRET_KEY = "insecure-local-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY") or FALLBACK_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Admin modules are found when the URLs load (hoilhpn/urls.py), not at every start: commands and workers
    # (an import, a rebuild) start a quarter of a second sooner.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "django_filters",
    "django_tables2",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "common",
    "accounts",
    "branches",
    "members",
    "imports",
    "supervision",
    "cadres",
    "programmes",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.KeptFiguresMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.ContentSecurityPolicyMiddleware",
    "common.middleware.RequestHygieneMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the final outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hoilhpn.urls"
WSGI_APPLICATION = "hoilhpn.wsgi.application"

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
                "accounts.context_processors.scope",
            ],
        },
    },
]

# SQLite next to the project by default, so one can check out the code and run
# it; PostgreSQL (psycopg2) in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL compiles a query to machine code once its estimated cost is high (JIT): a report's grouped queries
# over a country's records cross that line and spend 20 ms or more each compiling what runs in a few.
JIT_OFF = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(JIT_OFF)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A PostgreSQL streaming replica, for the reads that may lag a few seconds: the annual report, the dashboard
# and printed documents (hoilhpn/routers.py). Reads fall back to the primary when the replica is down or more
# than DATABASE_REPLICA_MAX_LAG seconds behind.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).update(JIT_OFF, connect_timeout=2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["hoilhpn.routers.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "30"))
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (an index that also holds a column, read without the table) exist on PostgreSQL only; on
# SQLite the same index is made without the extra column, which is what this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    # Throttles repeated failed logins before any other backend is asked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["hoilhpn.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `make` (package.json); never committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# A local copy (``make run``) serves static files from the source folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("LOCAL_STATIC", False)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads beyond Django's in-memory limit go to a temporary file, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background work (member list imports) runs in `manage.py run_worker`, queued in the database: no broker.
# Background work (imports, printing): the database queue by default, no broker needed; with
# TASKS_BACKEND=django_tasks_rq.RQBackend, Redis and RQ, so that several workers on several machines share it.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# Member list imports: what a file may be, and up to what size a file is read while the user waits.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "30")) * 1_048_576
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "300000"))
# A web request counts a month's member figures for every branch itself (the first report ending that day) only
# while the register holds up to this many membership periods (about 2 s a day); beyond, the worker does it.
FIGURES_INLINE_MAX_PERIODS = int(os.environ.get("FIGURES_INLINE_MAX_PERIODS", "1000000"))
# The dashboard counts this year's figures to today over the membership periods while the unit's subtree holds up
# to this many (a district: under a second); a larger one is counted to the last month's end, which is kept.
DASHBOARD_LIVE_MAX_PERIODS = int(os.environ.get("DASHBOARD_LIVE_MAX_PERIODS", "100000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
# Rows × columns of the grids one file may make the server build (a 100,000-member list of 40 columns is 4M).
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "6000000"))
IMPORT_INLINE_MAX_BYTES = int(os.environ.get("IMPORT_INLINE_MAX_KB", "256")) * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Where the demo and the reform commands may look for reference data in development.
SHARED_DATA_DIR = Path(os.environ.get("SHARED_DATA_DIR", BASE_DIR.parent / "shared" / "data"))

# Checks before signing: a report figure that moved more than this share of last year's is listed.
REPORT_CHANGE_LIMIT_PERCENT = int(os.environ.get("REPORT_CHANGE_LIMIT_PERCENT", "30"))
