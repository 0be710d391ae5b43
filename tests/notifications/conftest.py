"""Fixtures of the notification tests: embedded (eager) Celery, a chat webhook URL and a recorder for its posts."""

import json
import urllib.error

import pytest

from config.celery_app import app as celery_app

CHAT_URL = "https://chat.example.jp/hooks/townhall"


@pytest.fixture(autouse=True)
def embedded_celery(settings):
    """Tasks run in-process after commit, as in the embedded default, even if REDIS_URL is set outside."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.CHAT_WEBHOOK_URL = CHAT_URL
    settings.NOTIFICATION_CHANNELS = ["in_app", "email", "chat"]
    yield
    celery_app.conf.task_always_eager = saved


class ChatRecorder:
    """Stands in for the chat webhook: records each POST; `fail_with` makes the next posts raise."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.fail_with: Exception | None = None

    def urlopen(self, request, timeout=None):
        if self.fail_with is not None:
            raise self.fail_with
        self.posts.append(
            {
                "url": request.full_url,
                "timeout": timeout,
                "headers": dict(request.header_items()),
                "json": json.loads(request.data),
            }
        )
        return _Response()


class _Response:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def read(self) -> bytes:
        return b"ok"


@pytest.fixture
def chat(monkeypatch) -> ChatRecorder:
    recorder = ChatRecorder()
    monkeypatch.setattr("notifications.channels.urllib.request.urlopen", recorder.urlopen)
    return recorder


@pytest.fixture
def chat_down(chat) -> ChatRecorder:
    chat.fail_with = urllib.error.URLError("connection refused")
    return chat
