"""Gunicorn settings for Rotaflow in production: ``gunicorn -c deploy/gunicorn.conf.py``.

It lives here rather than at the repository root because gunicorn loads a
``gunicorn.conf.py`` from the working directory on its own, and benchmarks or a developer's
``gunicorn`` started there should not pick up production settings unasked.

What differs between machines comes from the environment (below); anything else can be
overridden on the command line or in ``GUNICORN_CMD_ARGS``. docs/deployment.md explains
the choices.
"""

import multiprocessing
import os

# The app factory; it only wires (no database work), so starting a worker is cheap.
wsgi_app = "portal:create_app()"
proc_name = "rotaflow"


def on_starting(_server):
    """Check the configuration before any worker starts: a setting production refuses
    (ROTAFLOW_SECRET_KEY, ROTAFLOW_DATABASE_URL, mail, ROTAFLOW_BASE_URL) stops gunicorn
    with the app's message and exit status 1, not a worker traceback per boot attempt."""
    from portal import check_config

    check_config()  # a ConfigurationError is a RuntimeError, which gunicorn prints


# Behind a reverse proxy on the same machine keep the loopback address; in a container
# the proxy reaches it from outside: GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers: requests are short and wait on PostgreSQL, one request per process
# holds one database connection, and the proxy buffers slow clients. WEB_CONCURRENCY is the
# variable most platforms set; the default is gunicorn's (2 × cores) + 1.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# Pages answer in milliseconds; the long requests are admin CSV imports. A worker busy
# longer than this is killed and replaced (the import's transaction rolls back, nothing is
# half-imported); very large files belong to ``rotaflow import`` on the command line.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
# On SIGTERM or a HUP reload, requests in flight get this long to finish.
graceful_timeout = 30

# Replace each worker after a few thousand requests (jittered so they do not all restart
# together): bounds slow memory growth from any library at the cost of a cheap restart.
max_requests = 2000
max_requests_jitter = 200

# Not preloaded: each worker imports the app after the fork, so ``kill -HUP`` (a graceful
# reload) starts workers on the newly deployed code, and no engine, pool or socket is ever
# created in the master and shared across forks. Preloading would only save a little memory.
preload_app = False

# Signals are the interface (TERM stops, HUP reloads, TTIN/TTOU add or remove a worker);
# gunicorn's control socket sits at one path per user, which two instances on one machine
# would fight over.
control_socket_disable = True

# Logs: the app's own records go to standard error through portal.logs. In plain text
# gunicorn writes the access log (with the request id the app sends back and the time in
# milliseconds); with ROTAFLOW_LOG_FORMAT=json the app logs each request as a JSON line
# itself and gunicorn's own messages are JSON too.
loglevel = os.environ.get("ROTAFLOW_LOG_LEVEL", "info").lower()
errorlog = "-"
if os.environ.get("ROTAFLOW_LOG_FORMAT", "plain").strip().lower() == "json":
    accesslog = None
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        # The app installs its own root handler in each worker.
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }
else:
    accesslog = "-"
    access_log_format = '%(h)s %({x-request-id}o)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
