"""The Content-Security-Policy header: the site's policy, built once per process rather than on every response,
and still the library's way for a request that used its nonce or a response with a policy of its own."""

from unittest import mock

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from api.core.middleware import CSPMiddleware


def _served(request, response=None):
    middleware = CSPMiddleware(lambda _request: response or HttpResponse("ok"))
    middleware.process_request(request)
    return middleware.process_response(request, response or HttpResponse("ok"))


@pytest.mark.django_db
def test_api_and_portal_responses_carry_the_sites_policy_without_rebuilding_it(api_client, employee):
    api_client.force_authenticate(employee)
    with mock.patch("csp.middleware.build_policy", wraps=build_policy) as rebuilt:
        responses = [
            api_client.get("/api/v1/attendance/clock/state/"),
            api_client.get("/api/v1/attendance/clock/state/"),
            api_client.get("/accounts/login/"),
        ]

    assert [response[HEADER] for response in responses] == [build_policy()] * 3
    assert "default-src 'self'" in responses[0][HEADER]
    assert "frame-ancestors 'none'" in responses[0][HEADER]
    assert all(HEADER_REPORT_ONLY not in response for response in responses)
    assert rebuilt.call_count == 0


def test_a_changed_setting_changes_the_header():
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        response = _served(RequestFactory().get("/"))
        assert response[HEADER] == response[HEADER_REPORT_ONLY] == "default-src 'none'"
    assert _served(RequestFactory().get("/"))[HEADER] == build_policy()


def test_a_used_nonce_and_a_views_own_policy_reach_the_header():
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda _request: HttpResponse("ok"))
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}}):
        middleware.process_request(request)
        nonce = str(request.csp_nonce)
        header = middleware.process_response(request, HttpResponse("ok"))[HEADER]
    assert f"script-src 'self' 'nonce-{nonce}'" in header

    updated = HttpResponse("ok")
    updated._csp_update = {"img-src": ["https://maps.example.jp"]}
    assert "https://maps.example.jp" in _served(RequestFactory().get("/"), updated)[HEADER]

    exempt = HttpResponse("ok")
    exempt._csp_exempt = True
    assert HEADER not in _served(RequestFactory().get("/"), exempt)


def test_the_nonce_cannot_be_asked_for_once_the_header_is_written():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    _served(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
