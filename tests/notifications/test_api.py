"""GET /api/v1/notifications/, POST …/{id}/read/, POST …/read-all/: the caller's own notifications only."""

import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import notify
from tests.factories import EmployeeFactory

LIST_URL = "/api/v1/notifications/"


def _notify(recipient, title: str = "お知らせ") -> Notification:
    (notification,) = notify(recipients=[recipient], kind="document_approved", title=title, link="/x")
    return notification


@pytest.fixture
def stranger(department):
    return EmployeeFactory(username="stranger", department=department)


@pytest.fixture
def admin_user(department):
    return EmployeeFactory(username="admin1", department=department, roles=["admin", "hr", "secretariat"])


@pytest.mark.django_db
def test_list_returns_own_notifications_newest_first(employee, stranger, as_user):
    # given
    first, second = _notify(employee, "一件目"), _notify(employee, "二件目")
    _notify(stranger, "他人宛")
    # when
    response = as_user(employee).get(LIST_URL)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [second.pk, first.pk]
    item = body["results"][0]
    assert item == {
        "id": second.pk,
        "kind": "document_approved",
        "title": "二件目",
        "body": "",
        "link": "/x",
        "data": {},
        "created_at": item["created_at"],
        "read_at": None,
        "is_read": False,
    }
    assert item["created_at"].endswith("+09:00")


@pytest.mark.django_db
def test_list_unread_filter_and_pagination(employee, as_user):
    notifications = [_notify(employee, f"{n}件目") for n in range(5)]
    client = as_user(employee)
    client.post(f"{LIST_URL}{notifications[0].pk}/read/")
    unread = client.get(LIST_URL, {"unread": "true"}).json()
    assert unread["count"] == 4
    assert notifications[0].pk not in [item["id"] for item in unread["results"]]
    assert client.get(LIST_URL, {"unread": "false"}).json()["count"] == 5
    page = client.get(LIST_URL, {"page": 2, "page_size": 2}).json()
    assert [item["id"] for item in page["results"]] == [notifications[2].pk, notifications[1].pk]
    assert page["next"] is not None
    assert page["previous"] is not None


@pytest.mark.django_db
def test_list_rejects_a_malformed_filter(employee, as_user):
    response = as_user(employee).get(LIST_URL, {"unread": "perhaps"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "unread"


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 40])
def test_list_query_count_does_not_grow_with_rows(employee, as_user, django_assert_max_num_queries, rows):
    for n in range(rows):
        _notify(employee, f"{n}")
    client = as_user(employee)
    # count + page
    with django_assert_max_num_queries(2):
        response = client.get(LIST_URL)
    assert len(response.json()["results"]) == rows


@pytest.mark.django_db
def test_list_requires_login(api_client):
    response = api_client.get(LIST_URL)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
def test_read_authorisation_matrix(employee, stranger, admin_user, as_user):
    # given a notification of employee
    notification = _notify(employee)
    url = f"{LIST_URL}{notification.pk}/read/"
    # anonymous: 401, nothing changed
    assert APIClient().post(url).status_code == 401
    # an unrelated user and even an administrator: 404, as if it did not exist; nothing changed
    for other in (stranger, admin_user):
        response = as_user(other).post(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert as_user(other).get(f"{LIST_URL}{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    # the recipient: marked read
    response = as_user(employee).post(url)
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert response.json()["is_read"] is True
    assert response.json()["id"] == notification.pk


@pytest.mark.django_db
def test_read_twice_keeps_the_first_time(employee, as_user):
    notification = _notify(employee)
    client = as_user(employee)
    first = client.post(f"{LIST_URL}{notification.pk}/read/").json()["read_at"]
    second = client.post(f"{LIST_URL}{notification.pk}/read/").json()["read_at"]
    assert first == second
    assert client.get(f"{LIST_URL}{notification.pk}/").json()["read_at"] == first


@pytest.mark.django_db
def test_read_unknown_is_404(employee, as_user):
    assert as_user(employee).post(f"{LIST_URL}999999/read/").status_code == 404


@pytest.mark.django_db
def test_read_all_marks_only_the_callers_notifications(employee, stranger, as_user, api_client):
    # given
    mine = [_notify(employee) for _ in range(3)]
    theirs = _notify(stranger)
    # anonymous: 401, nothing changed
    assert api_client.post(f"{LIST_URL}read-all/").status_code == 401
    assert Notification.objects.filter(read_at__isnull=False).count() == 0
    # when
    response = as_user(employee).post(f"{LIST_URL}read-all/")
    # then
    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert as_user(employee).post(f"{LIST_URL}read-all/").json() == {"updated": 0}


@pytest.mark.django_db
def test_schema_documents_the_notification_endpoints(admin_user, as_user):
    response = as_user(admin_user).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/notifications/" in paths
    assert "unread" in [p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]]
    assert "post" in paths["/api/v1/notifications/{id}/read/"]
    assert "post" in paths["/api/v1/notifications/read-all/"]
