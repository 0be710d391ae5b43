"""/dashboard/rollout/ without a browser: who may open it, what it ships (the browser test is tests/e2e)."""

import json

import pytest
from django.conf import settings

from config.celery_app import app as celery_app
from tests.rollout.town import build_departments, patch_today

URL = "/dashboard/rollout/"


@pytest.fixture
def town(db, monkeypatch):
    patch_today()
    return build_departments()


def test_anonymous_is_sent_to_the_login_page(client, town):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/rollout/"


def test_plain_staff_is_refused(client, town):
    client.force_login(town.staff["A"])

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["secretariat", "director"])
def test_secretariat_and_managers_open_the_page_with_the_vendored_chart_library(client, town, who):
    client.force_login(town.secretariat if who == "secretariat" else town.directors["zeimu"])

    response = client.get(f"{URL}?fiscal_year=2025")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "cdn" not in html.lower()
    config = json.loads(html.split('id="rollout-config" type="application/json">')[1].split("</script>")[0])
    assert (config["fiscalYear"], config["today"], config["api"]) == (
        2025,
        "2026-11-27",
        "/api/v1/telework/rollout/",
    )
    assert [p["code"] for p in config["phases"]] == ["not_started", "preparing", "trial", "partial", "formal"]


def test_a_bad_fiscal_year_falls_back_to_the_current_one(client, town):
    client.force_login(town.secretariat)

    html = client.get(f"{URL}?fiscal_year=next").content.decode()

    assert '"fiscalYear": 2026' in html


def test_rollout_jobs_are_on_the_beat_schedule_and_registered():
    celery_app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    for name in ("rollout.tasks.snapshot_adoption_nightly", "rollout.tasks.rollout_monthly_report"):
        assert name in tasks
        assert name in celery_app.tasks
    # the names from before rollout/ was its own app still find a task (messages queued then), unscheduled
    for name in (
        "telework.rollout_tasks.snapshot_adoption_nightly",
        "telework.rollout_tasks.rollout_monthly_report",
    ):
        assert name not in tasks
        assert name in celery_app.tasks
