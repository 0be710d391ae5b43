"""Settings `/settings/`: the password change through org's service (audited, this session kept, the tokens of
other devices ended), my devices with their tokens (end one), the language, the calendar feed URL."""

import pytest

from org.models import AccessToken, SecurityAction, SecurityEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "yuki-no-minamifurano-2026"


def token_for(employee, name: str) -> AccessToken:
    token, _key = AccessToken.objects.create(user=employee, name=name)
    return token


def test_a_wrong_current_password_is_shown_next_to_its_field_and_changes_nothing(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(
        "/settings/password/", {"current_password": "wrong", "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('for="id_current_password"')[1].split("</div>")[0]
    assert "現在のパスワードが正しくありません" in field
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)
    assert not SecurityEvent.objects.filter(action=SecurityAction.PASSWORD_CHANGED).exists()


def test_a_weak_new_password_is_refused_by_the_policy(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(
        "/settings/password/", {"current_password": TEST_PASSWORD, "new_password": "12345678"}
    )
    assert response.status_code == 400
    field = response.content.decode().split('for="id_new_password"')[1].split("</div>")[0]
    assert 'class="field-errors"' in field
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)


def test_the_password_changes_audited_and_this_session_stays(town, page_client):
    staff = town.staff[0]
    phone = token_for(staff, "iPhone")
    client = page_client(staff)
    response = client.post(
        "/settings/password/", {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert (
        SecurityEvent.objects.filter(action=SecurityAction.PASSWORD_CHANGED, subject_id=staff.pk).count() == 1
    )
    assert not AccessToken.objects.filter(pk=phone.pk).exists()  # other devices log in again
    assert client.get("/settings/").status_code == 200  # this session is still logged in


def test_my_devices_are_listed_and_one_is_ended(town, page_client):
    staff = town.staff[0]
    phone, tablet = token_for(staff, "iPhone"), token_for(staff, "iPad")
    others = token_for(town.staff[1], "Android")
    client = page_client(staff)
    html = client.get("/settings/").content.decode()
    assert "iPhone" in html
    assert "iPad" in html
    assert "Android" not in html

    client.post(f"/settings/tokens/{phone.pk}/revoke/")
    assert not AccessToken.objects.filter(pk=phone.pk).exists()
    assert AccessToken.objects.filter(pk=tablet.pk).exists()

    refused = client.post(f"/settings/tokens/{others.pk}/revoke/")
    assert refused.status_code == 404  # another person's token is not there for me
    assert AccessToken.objects.filter(pk=others.pk).exists()


def test_the_language_and_the_feed_url(town, page_client):
    client = page_client(town.staff[0])
    html = client.get("/settings/").content.decode()
    assert 'id="settings-language"' in html
    response = client.post("/telework/calendar-token/", {"next": "settings"})
    assert response["Location"] == "/settings/"


@pytest.mark.parametrize("devices", [1, 20])
def test_the_settings_queries_do_not_grow_with_devices(
    town, page_client, django_assert_max_num_queries, devices
):
    staff = town.staff[0]
    for i in range(devices):
        token_for(staff, f"端末{i}")
    client = page_client(staff)
    client.get("/settings/")
    with django_assert_max_num_queries(8):
        response = client.get("/settings/")
    assert response.content.decode().count("ログイン終了</button>") == devices
