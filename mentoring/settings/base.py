"""Settings shared by every environment.

Everything that differs between machines is read from the environment through one
``environ.Env()``; ``.env.example`` lists each variable. The defaults here are the
zero-configuration local ones: an SQLite file, Celery running tasks inline, email
printed to the console.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's own .env (never committed) wins over nothing but the real environment.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "mentoring",  # first, so its templates (allauth layouts, admin index) take precedence
    # The program's content in both languages (each app's translation.py): before the
    # admin, whose forms it extends with a field per language.
    "modeltranslation",
    "committee.apps.CommitteeAdminConfig",  # Django's admin as the committee's workspace
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    # The program's own apps, in dependency order (each may use the ones above it).
    "applications",
    "matches",
    "goals",
    "activities",
    "newsletter",
    "evaluation",
    "certificates",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mentoring.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the person's choice (cookie, or their account), else the
    # browser's Accept-Language, else English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's pages are in their account's language.
    "mentoring.middleware.AccountLanguageMiddleware",
    "mentoring.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff reach the admin only with a second factor proven in the session.
    "mentoring.second_factor.StaffSecondFactorMiddleware",
    # Admin pages in the time zone of the program their object belongs to.
    "committee.time_zones.AdminTimeZoneMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"
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
                "mentoring.context_processors.site",
            ],
            # Dates in the reader's language's order (after Django's own filters); and
            # the tags whose output is the same on every page in a language, worked out
            # once (mentoring/template_constants.py).
            "builtins": ["mentoring.templatetags.dates", "mentoring.templatetags.url_kept"],
            "libraries": {
                "i18n": "mentoring.templatetags.i18n_kept",
                "static": "mentoring.templatetags.static_kept",
            },
        },
    }
]
# Django warns of a template tag library label given to two modules (templates.W003):
# "i18n" and "static" above are, on purpose. tests/mentoring/test_template_constants.py
# checks that no other label is.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Shared program content and the login rate limits only: no person's page or account.
# Redis fails open (mentoring/fail_open.py): the site answers with it down or stalled.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://mentoring"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "mentoring.fail_open.RedisCache"

# Sessions live in the database (no Redis needed to sign in), in Django's own table, read
# with SQL written out (mentoring/sessions.py).
SESSION_ENGINE = "mentoring.sessions"

AUTH_USER_MODEL = "mentoring.User"
AUTHENTICATION_BACKENDS = [
    "mentoring.backends.ModelBackendInOneQuery",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_mentoring"

# django-allauth: the email address is the login; people give their names on sign up.
ACCOUNT_ADAPTER = "mentoring.accounts.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "mentoring.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Brute-force protection on every login form (the admin's login is the site's login):
# at most 5 failures per account in five minutes and 10 per address per minute.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
}
# How many proxies in front of the site append to X-Forwarded-For. Behind one proxy (the
# production recipe) the client is the address that proxy added; with 0 every client
# would share the proxy's address, and ten failures by anyone would lock everyone out.
# Never more than the proxies really there: a client could then choose its own address.
# allauth is the one reader of the client's address (its rate limits).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Two factors (mentoring/second_factor.py): an authenticator app, with recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mentoring program"

LANGUAGE_CODE = "en"
# The program runs in English and Spanish (many applicants serve Spanish-speaking
# families). The catalogue is written by the team: locale/es/LC_MESSAGES, compiled at
# install (make install runs compilemessages; the .mo files are not committed).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The program's own English date (“August 31, 2026”); other languages keep Django's.
FORMAT_MODULE_PATH = ["mentoring.formats"]
# The program's content (django-modeltranslation): a column per language beside each
# translated field; where staff wrote no Spanish, the English shows.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
# English first; a text written only in Spanish still shows to English readers.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es")}
# Stored in UTC; shown in the program's own time zone (each Program has one).
TIME_ZONE = env("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party assets come from the npm registry at install time (make install).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; EMAIL_URL (smtp://user:pass@host:587/?tls=True) for real mail.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mentoring Program <mentoring@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# Celery: without a broker, tasks run inline (eager) so a fresh checkout needs nothing.
_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not _BROKER_URL)
# Eager tasks still pass through a producer; without a broker it is an in-memory one.
CELERY_BROKER_URL = _BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# A task is acknowledged only once it finished, so a worker killed mid-task loses nothing:
# Redis hands the message to another worker after the visibility timeout, which must be
# longer than any task runs (batches are kept small for that reason).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    # How often a worker looks for messages whose worker died (seconds, and every Nth look).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # Short, so a stalled broker holds a web request for seconds at most (the worker's
    # own blocking reads wait one second each).
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing must not hang a web request when the broker is down: the row is already in the
# database and the outbox sweeper queues it again once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# What production does at a set time. `migrate` registers each in the database
# (mentoring/schedules.py), where beat's DatabaseScheduler reads it and staff see and edit
# it in admin (Periodic tasks); a schedule staff changed is kept by later migrations.
# "every": seconds; "crontab": "minute hour day-of-month month day-of-week" in TIME_ZONE.
PERIODIC_TASKS = {
    "requeue-stalled-deliveries": {
        "task": "mentoring.tasks.requeue_stalled_deliveries",
        "every": 300,
    },
    "open-goal-sheets": {"task": "goals.tasks.open_goal_sheets", "every": 3600},
    # Expired sessions and spent form tokens too old to matter, at night.
    "clear-expired": {"task": "mentoring.tasks.clear_expired", "crontab": "15 3 * * *"},
    # The program year ends on its cycle's last day in the program's time zone: hourly.
    "conclude-ended-cycles": {"task": "matches.tasks.conclude_ended_cycles", "every": 3600},
    "evaluation-send-due-surveys": {
        "task": "evaluation.tasks.send_due_surveys",
        "every": 3600,
    },
    "evaluation-send-survey-reminders": {
        "task": "evaluation.tasks.send_survey_reminders",
        "every": 3600,
    },
    # The newsletter: send what is due (an issue claimed once, whatever the interval),
    # draft next month's issue, and the timeline's reminders, each once per occasion.
    "send-due-newsletters": {
        "task": "newsletter.tasks.send_due_newsletters",
        "every": 60,
    },
    "draft-next-newsletters": {
        "task": "newsletter.tasks.draft_next_newsletters",
        "crontab": "30 6 * * *",
    },
    "send-reminders": {
        "task": "newsletter.tasks.send_reminders",
        "crontab": "0 9 * * *",
    },
}
# A newsletter fan-out claimed longer ago than this belonged to a worker that died.
NEWSLETTER_FAN_OUT_TIMEOUT = env.int("NEWSLETTER_FAN_OUT_TIMEOUT", default=600)

# Email deliveries: a claim older than this is taken to belong to a worker that died.
DELIVERY_CLAIM_TIMEOUT = env.int("DELIVERY_CLAIM_TIMEOUT", default=300)
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=5)
# A delivery still pending this long after it was recorded was never picked up (the
# broker was down when it was queued); the sweeper publishes it again.
DELIVERY_REQUEUE_AFTER = env.int("DELIVERY_REQUEUE_AFTER", default=120)

# Security headers that hold in every environment; production adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}
