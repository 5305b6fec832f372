"""Settings for every environment.

The defaults are the quick start: SQLite in WAL mode, Celery eager with the in-memory broker and the locmem
cache. Environment variables switch to the real services: ``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL``
(Redis) and ``REDIS_URL`` (cache). ``DJANGO_ENV=production`` refuses to start without a real ``SECRET_KEY`` or with
``DEBUG`` on.
"""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured

from omic.env import BASE_DIR, env

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY set to a random value of 50+ characters.")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses to start with DEBUG on: unset DEBUG.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS (comma-separated host names).")

SERVICE_NAME = "Manage OMiC cases"
PHASE = env.str("SERVICE_PHASE", default="Alpha")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "omic",
    "cases",
    "handover",
    "tiering",
    "keywork",
    "allocation",
    "casework",
    "dashboards",
    "oversight",
    "integration",
    "api",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "omic.request_id.RequestIdMiddleware",  # first: every response, even an error page, names its request
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "omic.security.PermissionsPolicyMiddleware",
    "api.errors.ApiProblemMiddleware",  # under /api/, Django's own error pages become problem details
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "omic.middleware.DropMalformedSessionCookie",  # a NUL in the session cookie would be a 500 on PostgreSQL
    "django.contrib.sessions.middleware.SessionMiddleware",
    "omic.db_router.ReplicaPinMiddleware",  # after sessions: reads stay on the primary just after a write
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "omic.middleware.RejectNulCharacters",  # a NUL in the address or a form is a 400, not a database error
    "django.contrib.messages.middleware.MessageMiddleware",
    "omic.middleware.IntegrityErrorMessage",  # a broken constraint on a form post: a clear message, not a 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

ROOT_URLCONF = "omic.urls"
WSGI_APPLICATION = "omic.wsgi.application"

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
                "omic.context_processors.service",
            ],
        },
    },
]
# GOV.UK field and error-summary templates for every Django form (the uktrade/icms pattern).
FORM_RENDERER = "omic.forms.GovukFormRenderer"

# --- Database -----------------------------------------------------------------------------------------------
# SQLite in WAL mode for the quick start; DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str("SQLITE_TEST_NAME", default=None)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Django's PostgreSQL backend, with a health check that makes no round trip while the connection is idle and well.
POSTGRESQL_ENGINE = "omic.postgresql"
if DATABASE_IS_POSTGRES:
    DATABASES["default"]["ENGINE"] = POSTGRESQL_ENGINE

# --- Read replica and PgBouncer (docs/deployment.md) ----------------------------------------------------------
# DATABASE_REPLICA_URL: a streaming replica of the primary. Reads inside omic.db_router.use_replica() (the HOMD
# dashboard, the national measures) go to it, except a user's for REPLICA_PIN_SECONDS after their last write; writes
# and transactions always use the primary. Unset: no replica database and no router at all.
# DATABASE_PGBOUNCER=1: the databases are reached through PgBouncer in transaction pooling, which cannot keep a
# server-side cursor (.iterator()) open across transactions.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL, engine=POSTGRESQL_ENGINE),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},  # tests read the replica from the test database itself
    }
    DATABASE_ROUTERS = ["omic.db_router.ReplicaRouter"]
if env.bool("DATABASE_PGBOUNCER", default=False):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True

# --- Cache ----------------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # fail-soft (omic/cache.py): Redis down or not answering is a cache miss and a warning, never a 500 or a lost job
    CACHES = {
        "default": {
            "BACKEND": "omic.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=1.0),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "omic"}}

# --- Celery ---------------------------------------------------------------------------------------------------
# In-memory broker and eager tasks for the quick start; CELERY_BROKER_URL=redis://... runs a real worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Queues and routes: omic/celery.py. Per-prison batch tasks carry their own, shorter limits (one prison's work).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
# Cases per committed chunk of one prison's handover sweep task (handover/services/sweep_fanout.py)
HANDOVER_SWEEP_CHUNK_SIZE = env.int("HANDOVER_SWEEP_CHUNK_SIZE", default=2000)
# Redis redelivers a task not acknowledged within the visibility timeout: longer than the longest task (hard limit).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page queueing a job must not hang on a broker that is down: a short connect timeout, and omic.queueing publishes
# once without retrying (a job it cannot queue is kept in its outbox and caught up by omic.jobs_catch_up).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu retries a refused connection for the whole connect timeout unless told otherwise: once, at once
    CELERY_BROKER_TRANSPORT_OPTIONS |= {  # keeps the visibility timeout above
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        # a broker that accepts and then stops answering: a publish gives up after this, never hangs the request
        "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
        "max_retries": 1,
        "interval_start": 0,
    }

# --- Auth and sessions -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "omic.security.LockoutBackend",  # first: refuses a locked-out username and address before any password check
    "rules.permissions.ObjectPermissionBackend",
    "cases.backends.RulesFirstModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Idle timeout: every request renews the session, so it lapses after SESSION_IDLE_TIMEOUT seconds of inactivity.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-sessionid"  # __Host-: secure, whole site, never set by a subdomain
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Permissions-Policy (omic.security.PermissionsPolicyMiddleware): the service uses none of these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# --- Sign-in lockout (django-axes; docs/security.md) ---------------------------------------------------------
# AXES_FAILURE_LIMIT wrong passwords for one username from one address lock that pair out for AXES_COOLOFF_MINUTES;
# a successful sign-in resets the count. `manage.py axes_reset_username NAME` (or axes_reset) lifts a lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and AXES_IP_FAILURE_LIMIT wrong passwords from one address, whatever the usernames, lock the address out
# (omic.security.LockoutHandler; higher than the pair's limit so an office behind one NAT address is not locked).
AXES_HANDLER = "omic.security.LockoutHandler"
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=50)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "omic.security.lockout_response"  # the GOV.UK page templates/registration/locked_out.html
AXES_HTTP_RESPONSE_CODE = 429
# The address is the one the API's rate limits use: X-Forwarded-For counts only behind API_NUM_PROXIES proxies.
AXES_CLIENT_IP_CALLABLE = "omic.security.client_ip"
AXES_VERBOSE = False
# Sign-in records (axes' AccessLog and AccessFailureLog, in the admin under "Axes") older than this many days are
# deleted nightly with the expired sessions (manage.py sign_in_records_tidy); a year by default.
SIGN_IN_LOG_RETENTION_DAYS = env.int("SIGN_IN_LOG_RETENTION_DAYS", default=365)

# --- Single sign-on by OIDC (optional; mozilla-django-oidc; docs/security.md) ----------------------------------
# Off unless OIDC_RP_CLIENT_ID is set. On: the backend cases.oidc.StaffOIDCBackend, the /oidc/ URLs and a
# "Sign in with HMPPS Auth" button. Roles come from the OIDC_ROLES_CLAIM values through OIDC_ROLE_MAP (JSON,
# claim value -> role; empty: cases.oidc.DEFAULT_ROLE_MAP) and prisons from the OIDC_PRISONS_CLAIM codes.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_LOGIN_LABEL = env.str("OIDC_LOGIN_LABEL", default="Sign in with HMPPS Auth")
OIDC_ROLES_CLAIM = env.str("OIDC_ROLES_CLAIM", default="roles")
OIDC_PRISONS_CLAIM = env.str("OIDC_PRISONS_CLAIM", default="caseloads")
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_ROLE_MAP = env.json("OIDC_ROLE_MAP", default={})
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "cases.oidc.StaffOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile email")
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # a path: mozilla-django-oidc does not resolve URL names here
    if OIDC_RP_SIGN_ALGO.startswith("RS") and not OIDC_OP_JWKS_ENDPOINT:
        raise ImproperlyConfigured("OIDC_RP_SIGN_ALGO=RS256 needs OIDC_OP_JWKS_ENDPOINT (the provider's JWKS URL).")

# --- Content Security Policy (django-csp; no inline script or style anywhere) ------------------------------
# The API docs pages relax it for themselves only (api/urls.py). CSP_REPORT_URI, if set, receives violations.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env.str("CSP_REPORT_URI")]

# --- Internationalisation -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

# --- Static files (GOV.UK Frontend and MoJ Frontend from npm, compiled by `npm run build`) ----------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "assets" / "build",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    # One /static/assets/ folder for both design systems' images, as the compiled CSS expects ($moj-assets-path).
    ("assets", NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("assets", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets"),
]
# Outside production, whitenoise serves straight from the finders (node_modules and assets/build), no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
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

# --- Email ----------------------------------------------------------------------------------------------------
# The quick start prints emails to the console (EMAIL_BACKEND=...filebased.EmailBackend with EMAIL_FILE_PATH keeps
# them as files). In production set EMAIL_HOST and friends to use SMTP.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="omic-case-manager@justice.gov.uk")

# --- Tiering (DECISIONS.md D-10, D-21) -------------------------------------------------------------------------
# TIER_MODEL: the national tier model a case's inputs are calculated with, "v2" (protect/change) or "v3" (A–G).
# POM_TYPE_STRATEGY: how the recommended POM type is chosen, "tier" (D-08, the default) or "rosh".
TIER_MODEL = env.str("TIER_MODEL", default="v2")
POM_TYPE_STRATEGY = env.str("POM_TYPE_STRATEGY", default="tier")
if TIER_MODEL not in ("v2", "v3"):
    raise ImproperlyConfigured(f'TIER_MODEL must be "v2" or "v3", not {TIER_MODEL!r}.')
if POM_TYPE_STRATEGY not in ("tier", "rosh"):
    raise ImproperlyConfigured(f'POM_TYPE_STRATEGY must be "tier" or "rosh", not {POM_TYPE_STRATEGY!r}.')

# --- Allocation: weighted caseload ---------------------------------------------------------------------------
# Overrides of allocation.calculations.DEFAULT_WORKLOAD_WEIGHTS (documented there), as JSON, for example
# ALLOCATION_WORKLOAD_WEIGHTS='{"responsible": {"A": 2.0}, "co_working_factor": 0.4}'. Empty: the defaults.
ALLOCATION_WORKLOAD_WEIGHTS = env.json("ALLOCATION_WORKLOAD_WEIGHTS", default={})
# POM_CAPACITY_PER_FTE: a POM whose weighted load per full-time equivalent is above this shows as over capacity on
# the heads of unit's home page and the POM list (a responsible tier C case weighs 1.0, so 60 is about 60 such cases
# for a full-time POM, 30 for a half-time one).
POM_CAPACITY_PER_FTE = env.str("POM_CAPACITY_PER_FTE", default="60")  # read as a Decimal by allocation.staff_selectors

# --- Audit trail -----------------------------------------------------------------------------------------------
# Audit rows older than this many days are deleted by the nightly purge (manage.py audit_purge); 7 years by default.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=2557)

# --- REST framework -------------------------------------------------------------------------------------------
# Machines use bearer tokens from POST /api/oauth/token; staff use their browser session (DECISIONS.md D-17).
# Every view names its scopes (api/permissions.py); every error is RFC 9457 problem details (api/errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ApiContentNegotiation",  # a fast path for JSON
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Proxies in front of the app that append to X-Forwarded-For; 0 ignores the header (the address limits use
    # the connection's address), so a made-up header cannot dodge the token endpoint's limit.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
API_TOKEN_LIFETIME = env.int("API_TOKEN_LIFETIME", default=20 * 60)  # seconds a bearer token lasts
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=60)  # a token's client, cached this long
# ... and in each process's memory this long (api/token_cache.py): a revoked token lapses in other workers within it
API_TOKEN_LOCAL_CACHE_SECONDS = env.float("API_TOKEN_LOCAL_CACHE_SECONDS", default=1.0)
API_STAFF_RATE_PER_MINUTE = env.int("API_STAFF_RATE_PER_MINUTE", default=600)
API_TOKEN_RATE_PER_MINUTE = env.int("API_TOKEN_RATE_PER_MINUTE", default=120)  # token requests per address
SPECTACULAR_SETTINGS = {
    "TITLE": "Manage OMiC cases API",
    "DESCRIPTION": (
        "Read allocations, handovers, key work and case notes; ingest prisoner and probation data; domain events "
        "and webhooks. Machines authenticate with a bearer token from POST /api/oauth/token (client credentials); "
        "errors are RFC 9457 problem details (application/problem+json) naming the field at fault."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" field; name each choice set so the schema (and check --deploy) has no clash.
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "integration.models.EventStatus",
        "DeliveryStatusEnum": "integration.models.DeliveryStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/(v1/)?",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "clientBasic": {"type": "http", "scheme": "basic"},
        }
    },
}

# --- Logging --------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
