"""The login lockout's model moved from `api` to `org` without moving data: a database of the previous schema
migrates forward with its rows, and the admin-site roles read it as before (only an administrator)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from org.backends import role_allows
from org.models import LoginFailure, RoleCode

BEFORE = [("org", "0003_absence_labels"), ("api", "0001_initial")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_migrates_forward_with_its_login_failures():
    # given the previous schema, where `api` owned the model, with a locked username and its content type
    migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    locked_until = timezone.now() + timedelta(minutes=10)
    old.get_model("api", "LoginFailure").objects.create(
        username="tanaka", failures=0, last_failed_at=timezone.now(), locked_until=locked_until
    )
    ContentType.objects.filter(app_label="org", model="loginfailure").delete()
    content_type, _created = ContentType.objects.get_or_create(app_label="api", model="loginfailure")
    permission = Permission.objects.create(
        content_type=content_type, codename="view_loginfailure_test", name="test"
    )
    # when it migrates forward
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    # then the row is org's, unchanged, and the permissions follow the content type
    row = LoginFailure.objects.get(username="tanaka")
    assert (row.failures, row.locked_until) == (0, locked_until)
    content_type.refresh_from_db()
    assert (content_type.app_label, content_type.model) == ("org", "loginfailure")
    permission.refresh_from_db()
    assert permission.content_type_id == content_type.pk


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        (RoleCode.HR, set()),
        (RoleCode.SECRETARIAT, set()),
        (RoleCode.ADMIN, {"view", "delete"}),  # deleting a row is the unlock (org.login.login_unlock)
        (RoleCode.STAFF, set()),
    ],
)
def test_only_an_administrator_reads_login_failures_in_the_admin(role, actions):
    # as when the model was the API's: no role but the administrator's reads it, nobody changes it; the
    # administrator unlocks (issue 10) by deleting a row
    allowed = {
        action
        for action in ("view", "add", "change", "delete")
        if role_allows({role}, "org", "loginfailure", action)
    }
    assert allowed == actions
