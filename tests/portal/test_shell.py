"""The portal's shell: login landing, layout, language switch, error pages, manifest and service worker."""

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_an_ordinary_member_of_staff_lands_on_home_after_login(employee):
    client = Client()
    response = client.post("/accounts/login/", {"username": employee.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.templates[0].name == "portal/home/home.html"


def test_pages_need_a_login(client):
    for path in ("/", "/attendance/", "/telework/", "/settings/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_layout_has_no_inline_script_and_vendored_htmx(page_client, employee):
    html = page_client(employee).get("/").content.decode()
    assert '<script src="/static/portal/vendor/htmx.min.js" defer></script>' in html
    assert "<script>" not in html
    assert " onclick=" not in html
    assert 'lang="ja"' in html


def test_error_pages_are_japanese_in_the_portal_layout(page_client, employee):
    response = page_client(employee).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html
    assert 'class="nav"' in html


def test_api_errors_stay_problem_json(page_client, employee):
    response = page_client(employee).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == "/"
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert b"portal-shell" in worker.content


def test_the_language_switch_turns_the_pages_english(page_client, employee):
    client = page_client(employee)
    assert "ホーム" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/attendance/"})
    assert response.status_code == 302
    assert response["Location"] == "/attendance/"
    html = client.get("/attendance/").content.decode()
    assert 'lang="en"' in html
    assert ">Home</a>" in html
    assert "ホーム" not in html


def test_every_page_speaks_english_on_request(town, page_client):
    client = page_client(town.staff[0], language="en")
    expected = {
        "/": ["Today's schedule", "Unread notifications", "Clock in"],
        "/attendance/": ["Monthly timesheet", "Hours worked"],
        "/telework/": ["Days left this week", "Pick dates and the rules are checked at once."],
        "/settings/": ["Change your password", "Logged-in devices (apps and integrations)"],
    }
    for path, texts in expected.items():
        html = client.get(path).content.decode()
        for text in texts:
            assert text in html, (path, text)


def test_a_refused_page_is_a_japanese_403_in_the_layout(town, page_client):
    response = page_client(town.staff[0]).get("/dashboard/rollout/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "このページを開く権限がありません" in html
    assert 'class="nav"' in html


def test_the_500_page_renders_without_a_request_context(rf):
    from django.views import defaults

    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "システムエラーが発生しました" in response.content.decode()


def test_make_run_prints_the_portal_url_first():
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("make"):
        pytest.skip("needs make")
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(["make", "-n", "run"], cwd=root, capture_output=True, text=True)
    lines = plan.stdout.splitlines()
    portal = next(i for i, line in enumerate(lines) if "The web app (portal): http://127.0.0.1:8000/" in line)
    demo = next(i for i, line in enumerate(lines) if "manage.py demo" in line)
    assert portal < demo
