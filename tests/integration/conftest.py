"""Integration fixtures: a private Redis, a real Celery worker, and local sinks for the chat webhook and SMTP.

Run (PostgreSQL only; the worker is another process, so it needs a real server database):

    INTEGRATION=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> .venv/bin/python -m pytest -m integration

Without `INTEGRATION=1`, or on SQLite, every test in this folder is skipped (by `_integration_only`).
Mark each module `pytestmark = pytest.mark.integration` and each test
`@pytest.mark.django_db(transaction=True)`: the worker reads only committed rows.

Fixtures, reusable by every app's integration tests here:
- `redis_server` (session): `PrivateRedis`, a `redis-server` of its own on a free port (no persistence, in a tmp
  dir; never the shared one on 6379): `.url`, `.port`, `.stop()`, `.start()` (same port), `.running`.
- `chat_webhook` (session): `ChatWebhook`, an HTTP server on 127.0.0.1 that records every POST:
  `.url`, `.posts` (list of `{"path", "headers", "json"}`), `.clear()`.
- `smtp_sink` (session): `SMTPSink`, a minimal SMTP server on 127.0.0.1 that records every message:
  `.url` (an EMAIL_URL), `.messages` (list of `email.message.Message`), `.clear()`.
- `celery_worker_process` (session): `WorkerProcess`, `python -m celery -A config worker --pool=solo` with
  REDIS_URL = the private Redis, DATABASE_URL = the pytest-django test database, CHAT_WEBHOOK_URL =
  `chat_webhook.url`, EMAIL_URL = `smtp_sink.url`, and the keys from os.environ; started once, waited for
  until it logs "ready", stopped at the end of the session (before the test database is dropped). `.log_text()`.
- `celery_worker` (function): the running worker, plus this process's Celery app publishing to the private
  Redis (not eager) and `settings.CHAT_WEBHOOK_URL` pointing to `chat_webhook`; the sinks are cleared and
  Redis is running at the start; everything is restored afterwards. Tests ask for this one.
- `wait_until` (function): `wait_until(predicate, timeout=20.0, message="")` polls `predicate` every 0.1 s
  until it is truthy and returns its value, or fails the test at the deadline. No `time.sleep`.
"""

import email
import json
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from kombu import pools

from config.celery_app import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent.parent
REDIS_SERVER = "/usr/bin/redis-server"
STARTUP_TIMEOUT = 30.0


def _wait(predicate: Callable[[], object], timeout: float, message: str) -> object:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout} s: {message}")
        pause.wait(0.1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def _integration_only():
    if os.environ.get("INTEGRATION") != "1":
        pytest.skip("integration tests run with INTEGRATION=1")
    if "postgresql" not in django_settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("integration tests need PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture
def wait_until():
    def wait_until(predicate: Callable[[], object], timeout: float = 20.0, message: str = "") -> object:
        return _wait(predicate, timeout, message or getattr(predicate, "__name__", "condition"))

    return wait_until


class PrivateRedis:
    """A redis-server of the test session's own; `stop()`/`start()` simulate a broker outage."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _pong(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(self._pong, STARTUP_TIMEOUT, f"redis-server on port {self.port}")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        _wait(lambda: not self._pong(), 5, f"redis-server on port {self.port} to stop")


@pytest.fixture(scope="session")
def redis_server(_integration_only, tmp_path_factory):
    server = PrivateRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


class _ChatHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.posts.append(
            {"path": self.path, "headers": dict(self.headers.items()), "json": json.loads(body or b"null")}
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "11")
        self.end_headers()
        self.wfile.write(b'{"ok":true}')

    def log_message(self, format, *args) -> None:
        return None


class ChatWebhook:
    """The chat tool's incoming webhook, on 127.0.0.1: records the JSON of every POST."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatHandler)
        self.server.posts = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/townhall"

    @property
    def posts(self) -> list[dict]:
        return self.server.posts

    def clear(self) -> None:
        self.server.posts.clear()


@pytest.fixture(scope="session")
def chat_webhook(_integration_only):
    webhook = ChatWebhook()
    webhook.thread.start()
    yield webhook
    webhook.server.shutdown()
    webhook.server.server_close()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT (no TLS, no auth)."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"DATA":
                self.wfile.write(b"354 end with <CRLF>.<CRLF>\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append(email.message_from_bytes(b"".join(lines)))
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class SMTPSink:
    """A mail server on 127.0.0.1 that keeps what it receives."""

    def __init__(self) -> None:
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
        self.server.daemon_threads = True
        self.server.messages = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server.server_address[1]}"

    @property
    def messages(self) -> list:
        return self.server.messages

    def clear(self) -> None:
        self.server.messages.clear()


@pytest.fixture(scope="session")
def smtp_sink(_integration_only):
    sink = SMTPSink()
    sink.thread.start()
    yield sink
    sink.server.shutdown()
    sink.server.server_close()


def _database_url() -> str:
    """The URL of the test database pytest-django created (settings hold its name once it exists)."""
    db = django_settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """`celery -A config worker` in a subprocess; its output goes to a log file."""

    def __init__(self, log_path: Path, env: dict[str, str], name: str) -> None:
        self.log_path = log_path
        self.env = env
        self.name = name
        self.process: subprocess.Popen | None = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {self.process.returncode}:\n{self.log_text()}")
        return " ready." in self.log_text()

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--hostname",
                    self.name,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait(self._ready, STARTUP_TIMEOUT, f"the Celery worker to be ready (log: {self.log_path})")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(
    _integration_only, django_db_setup, redis_server, chat_webhook, smtp_sink, tmp_path_factory
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": redis_server.url,
        "DATABASE_URL": _database_url(),
        "CHAT_WEBHOOK_URL": chat_webhook.url,
        "EMAIL_URL": smtp_sink.url,
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "AUDIT_HMAC_KEY": os.environ["AUDIT_HMAC_KEY"],
        "PYTHONUNBUFFERED": "1",
    }
    worker = WorkerProcess(
        tmp_path_factory.mktemp("celery") / "worker.log", env, f"integration-{redis_server.port}@%h"
    )
    worker.start()
    yield worker
    worker.stop()


def _reset_producer_pool() -> None:
    """Drops the app's cached broker connections and producers, so the next publish uses conf.broker_url."""
    pools.reset()  # closes and forgets kombu's pools, which are keyed by connection URL
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_worker(celery_worker_process, redis_server, chat_webhook, smtp_sink, settings):
    if not redis_server.running:
        redis_server.start()
    chat_webhook.clear()
    smtp_sink.clear()
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    _reset_producer_pool()
    celery_app.conf.broker_url = redis_server.url
    celery_app.conf.task_always_eager = False
    settings.CHAT_WEBHOOK_URL = chat_webhook.url
    yield celery_worker_process
    _reset_producer_pool()
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
