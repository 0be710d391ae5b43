"""Settings for every deployment; each difference between them is read from the environment.

Embedded default (nothing set): SQLite file, no Redis, Celery tasks run in-process after commit.
Production: DATABASE_URL (PostgreSQL), REDIS_URL, DJANGO_SECRET_KEY, AUDIT_HMAC_KEY, DJANGO_ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Every environment value is read and cast by django-environ. A variable set to an empty string counts as unset
# (compose files and .env copies leave `NAME=` lines), so each helper below falls back to its default then.
env = environ.Env()


def _is_set(name: str) -> bool:
    return env.str(name, default="").strip() != ""


def env_str(name: str, default: str = "") -> str:
    return env.str(name).strip() if _is_set(name) else default


def env_bool(name: str, default: bool) -> bool:
    return env.bool(name) if _is_set(name) else default


def env_list(name: str, default: list[str]) -> list[str]:
    if name not in env.ENVIRON:
        return default
    return [item.strip() for item in env.list(name, default=[]) if item.strip()]


def env_int(name: str, default: int) -> int:
    return env.int(name) if _is_set(name) else default


def env_float(name: str, default: float) -> float:
    return env.float(name) if _is_set(name) else default


# Where the service writes: the SQLite file, collected static files, uploads, development mail. The source tree's
# var/ by default; an installed wheel (the Docker image) sets DJANGO_VAR_DIR, since site-packages is not writable.
VAR_DIR = Path(env_str("DJANGO_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", False)

# Secrets: a development default exists only so DEBUG mode starts with nothing set; with DEBUG off the
# settings refuse to start unless both keys are set to real values.
_DEV_SECRET_KEY = "dev-insecure-secret-key-do-not-use-in-production-0123456789"
_DEV_AUDIT_KEY = "dev-insecure-audit-hmac-key"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or _DEV_SECRET_KEY
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY") or _DEV_AUDIT_KEY
if not DEBUG:
    for name, value, default in (
        ("DJANGO_SECRET_KEY", SECRET_KEY, _DEV_SECRET_KEY),
        ("AUDIT_HMAC_KEY", AUDIT_HMAC_KEY, _DEV_AUDIT_KEY),
    ):
        # `change-me` is how .env.example marks its placeholders: copying the example is not configuring.
        if value == default or value.lower().startswith("change-me"):
            raise ImproperlyConfigured(f"{name} must be set to a secret value when DJANGO_DEBUG is off.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters with 5 distinct ones.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "core",
    "org",
    "notifications",
    "approvals",
    "leave",
    "attendance",
    "telework",
    "rollout",
    "api",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.core.middleware.InputCharactersMiddleware",  # api.core: no control character in a path or a query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "api.core.middleware.SessionIdleRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.core.middleware.CSPMiddleware",  # django-csp's, the site's policy built once
    "api.core.middleware.ApiProblemMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "portal.context_processors.portal",  # portal: the navigation (lazy)
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "db.sqlite3"
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores SELECT ... FOR UPDATE: IMMEDIATE transactions take the write lock at BEGIN, so two
    # services that race serialise instead of both reading stale rows; WAL lets readers go on meanwhile.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif env_bool("DJANGO_DB_PREPARED_STATEMENTS", True):
    # PostgreSQL: the hand-written statements of the hot paths (core.batch: the token, the clock-in, the inbox's
    # principals) are prepared on each connection, so PostgreSQL parses and plans them once per connection, not
    # on every request: a clock-in's day facts took 4 ms that way, 0.4 ms prepared (bench/README.md). The ORM
    # keeps Django's client-side binding (it prepares nothing). Django passes prepare_threshold to psycopg; it
    # turns preparing off unless told. Off (0) behind a pooler in transaction mode that cannot keep prepared
    # statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
EMBEDDED = not REDIS_URL

if EMBEDDED:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # core.cache: with Redis unreachable, reads miss and writes are dropped (a warning is logged), so the
    # throttles and the other cached state fail open and the request is served. Short socket timeouts keep an
    # outage from stalling each request.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env_float("CACHE_SOCKET_TIMEOUT", 0.5),
                "socket_timeout": env_float("CACHE_SOCKET_TIMEOUT", 0.5),
            },
        }
    }
# core.cache: seconds during which an unreachable Redis is not asked again (each process on its own)
CACHE_RETRY_SECONDS = env_float("CACHE_RETRY_SECONDS", 5)

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Embedded mode: no broker, so tasks run in the calling process right after the commit that enqueued them,
# and `celery beat` (started beside the web server by `make run`) fires the periodic jobs of CELERY_BEAT_SCHEDULE,
# which then run inside the beat process.
CELERY_TASK_ALWAYS_EAGER = EMBEDDED
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Publishing gives up quickly when the broker is down: the outbox row stays and the sweep re-queues it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_deliveries",
        "schedule": timedelta(seconds=60),
    },
    # api: expired idempotency keys
    "api-purge": {
        "task": "api.tasks.purge_expired",
        "schedule": timedelta(hours=1),
    },
    # org: the 人事異動 dated today take effect just after midnight (and again at 7:00 if the first run failed)
    "org-transfers-apply": {
        "task": "org.tasks.apply_due_transfers",
        "schedule": crontab(hour="0,7", minute=5),
    },
    # org: forgotten login failures (the lockout's rows)
    "org-login-failures-purge": {
        "task": "org.tasks.purge_login_failures",
        "schedule": timedelta(hours=1),
    },
    # org: API tokens past their expiry
    "org-tokens-purge": {
        "task": "org.tasks.purge_tokens",
        "schedule": timedelta(hours=6),
    },
    # rollout: the nightly adoption snapshot, then the monthly report on the 1st
    "rollout-snapshot": {
        "task": "rollout.tasks.snapshot_adoption_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    "rollout-report": {
        "task": "rollout.tasks.rollout_monthly_report",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
    # telework: the day-report (業務報告) reminder for yesterday's and earlier telework days, each day once
    "telework-day-report-reminder": {
        "task": "telework.tasks.remind_missing_day_reports",
        "schedule": crontab(hour=9, minute=0),
    },
    # attendance: the missing clock-out reminder in the evening, yesterday's anomalies to each director in the
    # morning, the overtime limits (80 % and 100 %) daily; each safe to run twice
    "attendance-missing-clock-out": {
        "task": "attendance.tasks.remind_missing_clock_out",
        "schedule": crontab(hour=env_int("ATTENDANCE_CLOCK_OUT_REMINDER_HOUR", 20), minute=0),
    },
    "attendance-anomaly-digest": {
        "task": "attendance.tasks.notify_directors_of_anomalies",
        "schedule": crontab(hour=7, minute=0),
    },
    "attendance-overtime-limits": {
        "task": "attendance.tasks.check_overtime_limits",
        "schedule": crontab(hour=6, minute=30),
    },
    # attendance: shifts left open past their deadline (the next day's start) are closed, hourly
    "attendance-open-shifts": {
        "task": "attendance.tasks.close_open_shifts",
        "schedule": crontab(minute=15),
    },
    # approvals: reminders and escalation of waiting decisions (督促), and 後閲 reminders, every 30 minutes
    # in the working day; each (item, level) is notified once, so running twice is harmless
    "approvals-reminders": {
        "task": "approvals.tasks.send_approval_reminders",
        "schedule": crontab(minute="*/30", hour="8-18", day_of_week="mon-fri"),
    },
    # leave: the yearly grant of annual leave (年次休暇の付与), daily so that staff hired during the year get theirs on
    # their first day; each (employee, year) is granted once, so running twice is harmless
    "leave-annual-grant": {
        "task": "leave.tasks.grant_annual_leave",
        "schedule": crontab(hour=0, minute=20),
    },
    "approvals-post-review-reminders": {
        "task": "approvals.tasks.send_post_review_reminders",
        "schedule": crontab(minute="*/30", hour="8-18", day_of_week="mon-fri"),
    },
}
# approvals: business hours (8:30–17:15 on working days) before a reminder and an escalation, and business
# days before a pending 後閲 is reminded
APPROVAL_REMINDER_BUSINESS_HOURS = env_int("APPROVAL_REMINDER_BUSINESS_HOURS", 8)
APPROVAL_ESCALATION_BUSINESS_HOURS = env_int("APPROVAL_ESCALATION_BUSINESS_HOURS", 24)
APPROVAL_POST_REVIEW_REMINDER_BUSINESS_DAYS = env_int("APPROVAL_POST_REVIEW_REMINDER_BUSINESS_DAYS", 2)
# attendance: minutes between the clock and the PC log beyond which a day has a `log_gap` (勤怠差異)
# leave (休暇): the leave year starts on LEAVE_YEAR_START (MM-DD: 01-01 a calendar year, 04-01 a fiscal year) and
# the annual grant is made on LEAVE_GRANT_DATE (MM-DD, inside that year); LEAVE_ANNUAL_DAYS a year, carry-over of
# the unused grant up to LEAVE_CARRY_OVER_MAX_DAYS, at most LEAVE_HOURLY_MAX_DAYS a year taken by the hour; a day
# of leave is LEAVE_DAY_MINUTES long unless attendance's work schedule says otherwise (7h45m = 465); a request for
# a day already gone by is accepted up to LEAVE_AFTER_THE_FACT_BUSINESS_DAYS working days after it.
LEAVE_YEAR_START = env_str("LEAVE_YEAR_START", "01-01")
LEAVE_GRANT_DATE = env_str("LEAVE_GRANT_DATE", LEAVE_YEAR_START)
LEAVE_ANNUAL_DAYS = env_int("LEAVE_ANNUAL_DAYS", 20)
LEAVE_CARRY_OVER_MAX_DAYS = env_int("LEAVE_CARRY_OVER_MAX_DAYS", 20)
LEAVE_HOURLY_MAX_DAYS = env_int("LEAVE_HOURLY_MAX_DAYS", 5)
LEAVE_DAY_MINUTES = env_int("LEAVE_DAY_MINUTES", 465)
LEAVE_AFTER_THE_FACT_BUSINESS_DAYS = env_int("LEAVE_AFTER_THE_FACT_BUSINESS_DAYS", 3)
# the scheduled break (HH:MM-HH:MM) that hourly leave spanning it does not charge
LEAVE_BREAK = env_str("LEAVE_BREAK", "12:00-13:00")
ATTENDANCE_LOG_GAP_MINUTES = env_int("ATTENDANCE_LOG_GAP_MINUTES", 30)
# attendance: a shift left open (a forgotten clock-out) is closed as `missing_clock_out` when the next day begins
# (its scheduled start less ATTENDANCE_EARLY_CLOCK_IN_MINUTES) or ATTENDANCE_OPEN_SHIFT_MAX_HOURS after its start
ATTENDANCE_EARLY_CLOCK_IN_MINUTES = env_int("ATTENDANCE_EARLY_CLOCK_IN_MINUTES", 120)
ATTENDANCE_OPEN_SHIFT_MAX_HOURS = env_int("ATTENDANCE_OPEN_SHIFT_MAX_HOURS", 20)
# attendance: the least break per day, "worked more than N minutes:at least M minutes", stricter first; the law's
# (労働基準法34条) by default, "465:60,360:45" where the town's 条例 counts from 7h45m
ATTENDANCE_BREAK_RULES = tuple(
    (int(over), int(minimum))
    for over, minimum in (
        rule.split(":") for rule in env_list("ATTENDANCE_BREAK_RULES", ["480:60", "360:45"])
    )
)
# attendance: a timesheet is submitted after the month's last working day (1: on that day already)
ATTENDANCE_TIMESHEET_ON_LAST_WORKING_DAY = env_bool("ATTENDANCE_TIMESHEET_ON_LAST_WORKING_DAY", False)
# attendance: the overtime check looks at the previous month too during the first days of a month
ATTENDANCE_OVERTIME_PREVIOUS_MONTH_DAYS = env_int("ATTENDANCE_OVERTIME_PREVIOUS_MONTH_DAYS", 7)
# attendance: a PC log outside every shift belongs to the nearest shift within this many minutes
ATTENDANCE_PC_LOG_MATCH_MINUTES = env_int("ATTENDANCE_PC_LOG_MATCH_MINUTES", 180)
# attendance: how far back an offline clock event may be replayed (`occurred_at`), in hours
ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS = env_int("ATTENDANCE_OFFLINE_REPLAY_MAX_HOURS", 12)
# 時間外勤務命令: overtime beyond the day's approved orders by more than this is flagged `overtime_without_order`;
# an order may be given for a day up to this many days past (事後命令, in an emergency).
ATTENDANCE_OVERTIME_TOLERANCE_MINUTES = env_int("ATTENDANCE_OVERTIME_TOLERANCE_MINUTES", 15)
ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = env_int("ATTENDANCE_OVERTIME_ORDER_PAST_DAYS", 3)
# 週休日の振替: the working day taken off lies from this many weeks before the 週休日 worked to this many weeks
# after it (人事院規則15-14 第8条: 4週間前の日から8週間後の日まで).
ATTENDANCE_DAY_SWAP_WEEKS_BEFORE = env_int("ATTENDANCE_DAY_SWAP_WEEKS_BEFORE", 4)
ATTENDANCE_DAY_SWAP_WEEKS_AFTER = env_int("ATTENDANCE_DAY_SWAP_WEEKS_AFTER", 8)
# rollout: an aggregate of fewer people than this is suppressed ("—") for everyone but the department's managers
ROLLOUT_MIN_GROUP_SIZE = env_int("ROLLOUT_MIN_GROUP_SIZE", 3)

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "org.Employee"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "org.backends.RolePermissionBackend",  # org: admin-site permissions of the hr/secretariat/admin roles
]
# A town's password policy (総務省 ガイドライン: long passphrases rather than forced rotation): at least
# PASSWORD_MIN_LENGTH characters, not the username (nor the name or e-mail), not a common password, not digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# api (site login): the pages' login (/accounts/login/, same lockout as the token endpoint); without a `next`
# everybody lands on the portal's home page (the secretariat's dashboard is one click away from there)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: the API requires a login everywhere

# Lockout after repeated wrong passwords (org.login): per username and client address, and per address.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)

# API tokens (django-rest-knox, org.AccessToken): one per login, stored as a SHA-512 digest, with an absolute
# expiry API_TOKEN_TTL_DAYS after the login (no sliding renewal: a stolen token ends on its day).
KNOX_TOKEN_MODEL = "org.AccessToken"
# knox's migrations create its own token table even when the model is swapped: the project's is org's, so
# knox's migrations are not run at all.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
# Sessions (the admin and the pages) end after SESSION_IDLE_SECONDS without a request: a request renews the
# cookie's age (at most once every SESSION_RENEW_SECONDS, api.core.middleware.SessionIdleRenewalMiddleware), so
# the age is an idle time, give or take that interval.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 8 * 60 * 60)
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 5 * 60)

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "media/"

# --- Approvals: attachments (添付ファイル) ------------------------------------------------------------
# Upload limit per file and the allow-list of content types; PDF, PNG and JPEG are recognised from their
# bytes, the others must at least look like what they claim (a ZIP container, text without NUL bytes).
APPROVAL_ATTACHMENT_MAX_BYTES = env_int("APPROVAL_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
APPROVAL_ATTACHMENT_CONTENT_TYPES = env_list(
    "APPROVAL_ATTACHMENT_CONTENT_TYPES",
    [
        "application/pdf",
        "image/png",
        "image/jpeg",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "text/csv",
        "text/plain",
    ],
)

# --- REST framework -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The browsable API is for development only: with DEBUG off the API answers JSON alone.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    # api.core: bodies held to api.core.limits (size, depth, characters); OPTIONS always answers JSON
    "DEFAULT_PARSER_CLASSES": [
        "api.core.parsers.JSONParser",
        "api.core.parsers.FormParser",
        "api.core.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.core.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "api.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["api.core.filters.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.core.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        "user": env_str("API_THROTTLE_USER", "6000/min"),
        "login": env_str("API_THROTTLE_LOGIN", "30/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Reverse proxies in front of the app: 0 = the client is REMOTE_ADDR (X-Forwarded-For cannot be forged to
    # dodge the login throttle); set to the number of proxies that append to X-Forwarded-For.
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "南富良野町 電子決裁・勤怠・テレワーク API",
    "DESCRIPTION": "Electronic approval (電子決裁), attendance (勤怠) and telework (テレワーク) backend of a Japanese "
    "town hall. Start with the getting-started guide at [/api/docs/guide/](/api/docs/guide/): token, first "
    "clock-in, first approval, idempotency, errors, pagination. Every error code: `GET /api/v1/errors/`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
# approvals: stable schema names for the document-kind, step-kind and step-status enums.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "DocumentKindEnum": "approvals.models.DocumentKind",
        "StepKindEnum": "approvals.models.StepKind",
        "StepStatusEnum": "approvals.models.StepStatus",
        "DocumentStatusEnum": "approvals.models.DocumentStatus",
    }
)
# telework: stable schema names for the telework location and request-status enums.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "TeleworkLocationEnum": "telework.models.Location",
        "TeleworkRequestStatusEnum": "telework.models.RequestStatus",
        "EmploymentTypeEnum": "org.models.EmploymentType",
    }
)
# attendance: stable schema names for its enums (several apps have fields called `kind` and `location`).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ClockKindEnum": "attendance.models.ClockKind",
        "ClockLocationEnum": "attendance.models.Location",
        "DayLocationEnum": "attendance.models.DayLocation",
        "PcLogKindEnum": "attendance.models.PcLogKind",
        "ExportKindEnum": [("days", "days"), ("summary", "summary")],
        "OrderStatusEnum": "attendance.models.OrderStatus",
    }
)
# leave: its units beside telework's (several apps have fields called `unit`).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "LeaveUnitEnum": "leave.models.RequestUnit",
        "LeaveTypeUnitEnum": "leave.models.TypeUnit",
        "TeleworkUnitEnum": "telework.models.DayUnit",
    }
)

# The site's public address, without a trailing slash (https://kintai.town.example): notifications carry
# absolute links to the portal's pages with it (e-mails and chat messages are read outside the site).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# notifications: the portal's page that opens a notification (marks it read, then shows what it is about)
NOTIFICATION_PAGE_PATH = "/notifications/%(id)s/"

# --- Notifications --------------------------------------------------------------------------------
CHAT_WEBHOOK_URL = env_str("CHAT_WEBHOOK_URL")
NOTIFICATION_CHANNELS = env_list("NOTIFICATION_CHANNELS", ["in_app", "email", "chat"])
# E-mail: EMAIL_URL, or the standard Django settings one by one (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_BACKEND). Schemes: smtp:// (port 25), smtp+tls:// and
# submission:// (STARTTLS, 587), smtps:// and smtp+ssl:// (TLS from the first byte, RFC 8314, 465); a port in
# the URL wins. Without either, DEBUG writes each e-mail under var/mail/ and production uses SMTP on localhost.
EMAIL_SCHEMES = {
    # scheme: (django-environ's scheme, default port)
    "smtp": ("smtp", 25),
    "smtp+tls": ("smtp+tls", 587),
    "submission": ("smtp+tls", 587),
    "smtps": ("smtp+ssl", 465),
    "smtp+ssl": ("smtp+ssl", 465),
}
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    _scheme, _, _rest = EMAIL_URL.partition("://")
    if _scheme not in EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {_scheme!r} (use one of {', '.join(EMAIL_SCHEMES)})."
        )
    _environ_scheme, _default_port = EMAIL_SCHEMES[_scheme]
    _mail = environ.Env.email_url_config(f"{_environ_scheme}://{_rest}")
    EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
    EMAIL_HOST = _mail["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = _mail["EMAIL_PORT"] or _default_port
    EMAIL_HOST_USER = _mail["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = bool(_mail.get("EMAIL_USE_TLS"))
    EMAIL_USE_SSL = bool(_mail.get("EMAIL_USE_SSL"))
elif _is_set("EMAIL_HOST") or _is_set("EMAIL_BACKEND"):
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
elif DEBUG:
    # Development: each e-mail is written as a file under var/mail/ instead of being sent.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@town.minamifurano.example")
EMAIL_TIMEOUT = 10

# --- Security (production) ------------------------------------------------------------------------
# X-Forwarded-Proto is believed only behind a proxy (DJANGO_NUM_PROXIES > 0) that sets it; without one a
# client could claim HTTPS.
if env_int("DJANGO_NUM_PROXIES", 0) > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [
    r"^healthz$",
    r"^readyz$",
]  # load balancers and compose probe health over plain HTTP
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG and SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = not DEBUG and SECURE_SSL_REDIRECT
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Plain HTTP on a closed LAN (DJANGO_SECURE_SSL_REDIRECT=0): the redirect (W008) and the Secure cookies (W012
# session, W016 CSRF) cannot apply, since a Secure cookie is never sent over HTTP; README "Plain HTTP on a
# closed LAN" explains each. With the redirect on, nothing is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008", "security.W012", "security.W016"]

# Content-Security-Policy on every response (django-csp): scripts only from this site (no inline script, no
# eval), no plugin, no framing; styles from this site plus inline ones (Redoc and Chart.js set styles at run
# time); images also as data: URLs (Swagger UI's icons); Redoc's search runs in a blob: worker.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "worker-src": [_SELF, "blob:"],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "celery.app.trace": {"level": "WARNING"}},
}
