"""problem+json for every error under /api/: unknown paths, 405, 406, 415, 400, 401, 429, 500, domain errors."""

import pytest
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from api.core.errors import PROBLEM_CONTENT_TYPE, exception_handler

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:townhall:problem:{code}"
    assert "Traceback" not in response.content.decode()
    assert "<html" not in response.content.decode().lower()
    return body


@pytest.fixture
def anonymous() -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_unknown_path_is_a_404_problem_with_debug_off_and_on(anonymous, settings, debug):
    # given DEBUG off (production) or on (development, where Django would show its HTML page)
    settings.DEBUG = debug
    # when
    response = anonymous.get("/api/v1/no-such-thing/")
    # then
    assert_problem(response, 404, "not_found")


@pytest.mark.django_db
def test_unknown_path_outside_the_api_keeps_django_page(anonymous):
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)


@pytest.mark.django_db
def test_wrong_method_is_a_405_problem_with_allow(anonymous):
    response = anonymous.get("/api/v1/auth/token/")
    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


@pytest.mark.django_db
def test_unsupported_media_type_is_a_415_problem(anonymous):
    response = anonymous.post("/api/v1/auth/token/", data="username=x", content_type="text/plain")
    assert_problem(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_unacceptable_accept_header_is_a_406_problem(anonymous):
    response = anonymous.get("/api/v1/me/", HTTP_ACCEPT="application/xml")
    assert_problem(response, 406, "not_acceptable")


@pytest.mark.django_db
def test_malformed_json_is_a_400_problem(anonymous):
    response = anonymous.post("/api/v1/auth/token/", data="{not json", content_type="application/json")
    assert_problem(response, 400, "parse_error")


@pytest.mark.django_db
def test_validation_error_lists_each_field(anonymous):
    # when the body misses both fields
    response = anonymous.post("/api/v1/auth/token/", {}, format="json")
    # then every field is named with a code, a message and params
    body = assert_problem(response, 400, "invalid")
    assert sorted((e["field"], e["code"]) for e in body["errors"]) == [
        ("password", "required"),
        ("username", "required"),
    ]
    assert all(e["message"] and e["params"] == {} for e in body["errors"])


@pytest.mark.django_db
def test_missing_credentials_is_401_with_token_challenge(anonymous):
    response = anonymous.get("/api/v1/me/")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_bad_token_is_401_authentication_failed(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = anonymous.get("/api/v1/me/")
    assert_problem(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_browsable_api_errors_are_still_json(anonymous):
    # given a browser asking for HTML first
    response = anonymous.get("/api/v1/me/", HTTP_ACCEPT="text/html,application/json;q=0.9")
    # then the error is problem+json, not a rendered page
    assert_problem(response, 401, "not_authenticated")


@pytest.mark.django_db
def test_throttled_login_is_429_with_retry_after(anonymous, monkeypatch):
    # given a login rate of 2 per minute
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "2/min"})
    for _ in range(2):
        anonymous.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    # when a third attempt comes within the minute
    response = anonymous.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    # then
    assert_problem(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.django_db
@pytest.mark.urls("tests.api.urls_errors")
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/test/django-boom/", "/api/test/drf-boom/"])
def test_server_error_is_a_500_problem_without_details(anonymous, settings, debug, path):
    # given a view that raises, with DEBUG off and on
    settings.DEBUG = debug
    # when
    response = anonymous.get(path)
    # then no stack trace and no exception text reaches the client
    assert_problem(response, 500, "server_error")
    assert "secret detail" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.api.urls_errors")
def test_domain_conflict_keeps_its_specific_code(anonymous):
    response = anonymous.get("/api/test/domain/?kind=conflict")
    assert_problem(response, 409, "month_closed")


@pytest.mark.django_db
@pytest.mark.urls("tests.api.urls_errors")
def test_rule_violation_lists_every_violation(anonymous):
    response = anonymous.get("/api/test/domain/")
    body = assert_problem(response, 422, "rule_violation")
    assert body["errors"] == [
        {"field": "dates", "code": "max_days_per_week", "message": "週2日まで", "params": {"max": 2}}
    ]


def test_too_large_body_maps_to_413():
    response = exception_handler(RequestDataTooBig("too big"), {})
    assert response.status_code == 413
    assert response.data["code"] == "payload_too_large"


def test_throttled_retry_after_is_whole_seconds():
    response = exception_handler(Throttled(wait=2.2), {})
    assert response.status_code == 429
    assert response["Retry-After"] == "3"


@pytest.mark.django_db
def test_messages_are_japanese_by_default_and_english_on_request(anonymous):
    # when the same unknown path is asked for without and with Accept-Language: en
    japanese = anonymous.get("/api/v1/no-such-thing/")
    english = anonymous.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    # then
    assert japanese.json()["detail"] == "見つかりません。"
    assert english.json()["detail"] == "Not found."


@pytest.mark.django_db
def test_disallowed_host_is_a_400_problem(anonymous):
    # given a Host header that is not in ALLOWED_HOSTS (rejected before any view runs)
    response = anonymous.get("/api/v1/me/", HTTP_HOST="evil.example")
    assert_problem(response, 400, "bad_request")


@pytest.mark.django_db
def test_disallowed_host_outside_the_api_keeps_django_page(anonymous):
    response = anonymous.get("/admin/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)


@pytest.mark.django_db
def test_framework_messages_follow_accept_language_too(anonymous):
    japanese = anonymous.get("/api/v1/me/")
    english = anonymous.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert japanese.json()["detail"] == "認証情報が含まれていません。"
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert japanese.json()["code"] == english.json()["code"] == "not_authenticated"
