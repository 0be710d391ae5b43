"""The telework admin: a policy saved there goes through policy_update (a new version and its snapshot)."""

from django.test import Client

from telework.models import PolicyVersion, TeleworkPolicy
from tests.factories import EmployeeFactory


def test_policy_saved_in_the_admin_is_a_new_version(town):
    admin_user = EmployeeFactory(username="root", is_staff=True, is_superuser=True, department=None)
    client = Client()
    client.force_login(admin_user)
    policy = TeleworkPolicy.objects.get(department=None)

    response = client.post(
        f"/admin/telework/teleworkpolicy/{policy.pk}/change/",
        {
            "allowed_locations": '["home"]',
            "max_days_per_week": "1",
            "max_days_per_month": "8",
            "max_consecutive_days": "2",
            "advance_notice_business_days": "1",
            "min_office_staff": "4",
            "eligible_employment_types": '["regular"]',
            "min_months_since_hire": "6",
            "require_security_training": "true",
            "require_security_pledge": "true",
            "require_day_report": "true",
            "severities": "null",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.version, policy.max_days_per_week, policy.allowed_locations) == (2, 1, ["home"])
    assert PolicyVersion.objects.get(policy=policy, version=2).values["max_days_per_week"] == 1
    assert PolicyVersion.objects.get(policy=policy, version=2).created_by == admin_user


def test_requests_are_read_only_in_the_admin(town):
    admin_user = EmployeeFactory(username="root", is_staff=True, is_superuser=True, department=None)
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/telework/teleworkrequest/").status_code == 200
    assert client.get("/admin/telework/teleworkrequest/add/").status_code == 403
