"""/api/v1/telework/rollout/: the secretariat reads every department and moves phases; others read their own
department. The small town of tests/rollout/town.py, with today 2026-11-27."""

import csv
import io
from datetime import date

import pytest

from notifications.models import Notification
from rollout.models import AdoptionSnapshot, PhaseEvent, PhasePlan
from telework.models import DepartmentPhase
from tests.api.schema_codes import assert_codes_documented
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.rollout.town import build_town, patch_today

URL = "/api/v1/telework/rollout/"


@pytest.fixture
def today(monkeypatch):
    return patch_today()


@pytest.fixture
def town(db, today):
    return build_town()


def phase_state():
    return (
        list(PhaseEvent.objects.values_list("department__code", "phase", "date")),
        sorted(DepartmentPhase.objects.values_list("department__code", "phase", "since")),
        Notification.objects.count(),
    )


# --- Departments against plan ------------------------------------------------------------------------


def test_secretariat_reads_every_department_against_plan(as_user, town):
    response = as_user(town.secretariat).get(f"{URL}departments/")

    assert response.status_code == 200
    body = response.json()
    assert [d["code"] for d in body] == ["somu", "zeimu", "kensetsu", "kikaku"]
    assert body[0] == {
        "code": "somu",
        "name": "総務課",
        "phase": "partial",
        "phase_since": "2026-04-01",
        "planned": {
            "preparing": "2025-04-01",
            "trial": "2025-10-01",
            "partial": "2026-04-01",
            "formal": "2027-04-01",
        },
        "behind_plan": False,
        "overdue": [],
        "history": [
            {"phase": "preparing", "date": "2025-04-01"},
            {"phase": "trial", "date": "2025-10-01"},
            {"phase": "partial", "date": "2026-04-01"},
        ],
    }
    assert [(d["code"], d["behind_plan"]) for d in body] == [
        ("somu", False),
        ("zeimu", True),
        ("kensetsu", True),
        ("kikaku", False),
    ]
    assert body[2]["phase_since"] is None
    assert body[3]["planned"]["partial"] == "2027-01-04"


def test_others_read_their_own_department_only(as_user, town):
    body = as_user(town.staff["E"]).get(f"{URL}departments/").json()

    assert [d["code"] for d in body] == ["zeimu"]
    assert as_user(town.staff["E"]).get(f"{URL}departments/somu/").status_code == 404
    assert as_user(town.staff["E"]).get(f"{URL}departments/zeimu/").status_code == 200


def test_department_detail_has_the_full_history(as_user, town):
    body = as_user(town.secretariat).get(f"{URL}departments/zeimu/").json()

    assert body["history"] == [
        {
            "phase": "preparing",
            "previous_phase": "not_started",
            "date": "2025-04-01",
            "note": "",
            "moved_by": town.secretariat.name,
        },
        {
            "phase": "trial",
            "previous_phase": "preparing",
            "date": "2025-11-04",
            "note": "",
            "moved_by": town.secretariat.name,
        },
    ]
    assert body["overdue"] == ["partial"]


def test_anonymous_reads_nothing(api_client, town):
    for path in ("departments/", "departments/somu/", "summary/", "monthly/", "survey/", "plan/"):
        assert api_client.get(URL + path).status_code == 401


@pytest.mark.parametrize("extra", [0, 30])
def test_department_list_query_count_is_fixed(as_user, town, django_assert_max_num_queries, extra):
    for i in range(extra):
        DepartmentFactory(code=f"extra{i}", name=f"追加{i}課")
    client = as_user(town.secretariat)

    with django_assert_max_num_queries(5):
        response = client.get(f"{URL}departments/")

    assert len(response.json()) == 4 + extra


# --- Moving a phase ---------------------------------------------------------------------------------------


def test_secretariat_moves_a_phase_and_the_director_is_notified(as_user, town):
    response = as_user(town.secretariat).post(
        f"{URL}departments/zeimu/phase/",
        {"phase": "partial", "date": "2026-11-27", "note": "外勤から開始"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["phase"], body["phase_since"], body["behind_plan"]) == ("partial", "2026-11-27", False)
    assert body["history"][-1]["note"] == "外勤から開始"
    assert DepartmentPhase.objects.get(department=town.zeimu).phase == "partial"
    notification = Notification.objects.get(
        kind="telework_phase_moved", data__department="zeimu", data__phase="partial"
    )
    assert notification.recipient == town.directors["zeimu"]


def test_phase_move_authorisation_matrix(api_client, as_user, town):
    before = phase_state()
    payload = {"phase": "partial", "date": "2026-11-27"}
    path = f"{URL}departments/zeimu/phase/"

    # anonymous
    assert api_client.post(path, payload, format="json").status_code == 401
    # a user of another department cannot see zeimu
    other = as_user(town.staff["A"]).post(path, payload, format="json")
    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    # zeimu's own director sees it but may not move it
    own = as_user(town.directors["zeimu"]).post(path, payload, format="json")
    assert (own.status_code, own.json()["code"]) == (403, "permission_denied")
    # unknown department
    assert as_user(town.secretariat).post(f"{URL}departments/nothere/phase/", payload).status_code == 404

    assert phase_state() == before


def test_phase_move_errors(as_user, town):
    client = as_user(town.secretariat)
    before = phase_state()

    unchanged = client.post(f"{URL}departments/somu/phase/", {"phase": "partial"}, format="json")
    future = client.post(
        f"{URL}departments/somu/phase/", {"phase": "formal", "date": "2026-12-01"}, format="json"
    )
    invalid = client.post(f"{URL}departments/somu/phase/", {"phase": "done"}, format="json")

    assert (unchanged.status_code, unchanged.json()["code"]) == (409, "phase_unchanged")
    assert (future.status_code, future.json()["errors"][0]["code"]) == (422, "phase_date_in_future")
    assert_codes_documented(unchanged)
    assert_codes_documented(future)
    assert (invalid.status_code, invalid.json()["errors"][0]["field"]) == (400, "phase")
    assert phase_state() == before


def test_phase_move_with_the_same_idempotency_key_moves_once(as_user, town):
    client = as_user(town.secretariat)
    headers = {"HTTP_IDEMPOTENCY_KEY": "move-kensetsu-1"}

    first = client.post(f"{URL}departments/kensetsu/phase/", {"phase": "preparing"}, format="json", **headers)
    second = client.post(
        f"{URL}departments/kensetsu/phase/", {"phase": "preparing"}, format="json", **headers
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert PhaseEvent.objects.filter(department=town.kensetsu).count() == 1


# --- Plans ----------------------------------------------------------------------------------------------


def test_secretariat_sets_a_department_plan(as_user, town):
    response = as_user(town.secretariat).put(
        f"{URL}departments/zeimu/plan/", {"planned": {"partial": "2027-01-04"}}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["planned"]["partial"] == "2027-01-04"
    assert response.json()["behind_plan"] is False
    assert PhasePlan.objects.get(department=town.zeimu).planned_on == date(2027, 1, 4)


def test_plan_authorisation_matrix(api_client, as_user, town):
    payload = {"planned": {"formal": "2028-04-01"}}
    before = list(PhasePlan.objects.order_by("id").values_list("department_id", "phase", "planned_on"))

    assert api_client.put(f"{URL}departments/zeimu/plan/", payload, format="json").status_code == 401
    assert (
        as_user(town.staff["A"]).put(f"{URL}departments/zeimu/plan/", payload, format="json").status_code
        == 404
    )
    assert (
        as_user(town.directors["zeimu"])
        .put(f"{URL}departments/zeimu/plan/", payload, format="json")
        .status_code
        == 403
    )
    assert as_user(town.directors["zeimu"]).put(f"{URL}plan/", payload, format="json").status_code == 403
    bad = as_user(town.secretariat).put(f"{URL}plan/", {"planned": {"later": "2028-04-01"}}, format="json")
    assert bad.status_code == 400

    assert (
        list(PhasePlan.objects.order_by("id").values_list("department_id", "phase", "planned_on")) == before
    )


def test_town_plan_is_read_by_everyone_and_set_by_the_secretariat(as_user, town):
    assert as_user(town.staff["A"]).get(f"{URL}plan/").json()["planned"]["formal"] == "2027-04-01"

    response = as_user(town.secretariat).put(
        f"{URL}plan/", {"planned": {"formal": "2027-10-01"}}, format="json"
    )

    assert response.json()["planned"]["formal"] == "2027-10-01"
    assert PhasePlan.objects.get(department=None, phase="formal").planned_on == date(2027, 10, 1)


# --- Summary and monthly figures -------------------------------------------------------------------------------


def test_summary_of_fy2026_for_the_secretariat(as_user, town, settings):
    settings.ROLLOUT_MIN_GROUP_SIZE = 1  # every figure shown (the small groups: see the privacy tests)
    response = as_user(town.secretariat).get(f"{URL}summary/?fiscal_year=2026")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("fiscal_year", "departments_total", "departments_implementing")} == {
        "fiscal_year": 2026,
        "departments_total": 4,
        "departments_implementing": 3,
    }
    assert (body["implementing_rate"], body["target_rate"], body["target_met"]) == (0.75, 1.0, False)
    assert body["fiscal_year_label"] == "令和8年度"
    assert body["by_phase"] == {"not_started": 1, "preparing": 0, "trial": 2, "partial": 1, "formal": 0}
    assert body["not_implementing"] == [{"code": "kikaku", "name": "企画課"}]
    rows = {d["code"]: d for d in body["departments"]}
    assert {
        code: (r["headcount"], r["teleworkers"], r["telework_days"], r["adoption_rate"])
        for code, r in rows.items()
    } == {
        "somu": (5, 2, 3, 0.4),
        "zeimu": (3, 1, 1, 0.3333),
        "kensetsu": (2, 1, 1, 0.5),
        "kikaku": (1, 0, 0, 0.0),
    }
    assert rows["somu"]["days_by_location"] == {"home": 2, "mobile": 1}
    assert "teleworker_ids" not in str(body)


def test_summary_defaults_to_the_current_fiscal_year_and_rejects_a_bad_one(as_user, town):
    assert as_user(town.secretariat).get(f"{URL}summary/").json()["fiscal_year"] == 2026
    bad = as_user(town.secretariat).get(f"{URL}summary/?fiscal_year=abc")
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "fiscal_year")


def test_summary_for_a_department_member_covers_their_department(as_user, town):
    body = as_user(town.directors["kensetsu"]).get(f"{URL}summary/?fiscal_year=2026").json()

    assert (body["departments_total"], body["departments_implementing"], body["implementing_rate"]) == (
        1,
        1,
        1.0,
    )
    assert [d["code"] for d in body["departments"]] == ["kensetsu"]
    assert body["by_phase"]["not_started"] == 1


@pytest.mark.parametrize("extra", [0, 30])
def test_summary_query_count_is_fixed(as_user, town, django_assert_max_num_queries, extra):
    for i in range(extra):
        DepartmentFactory(code=f"extra{i}", name=f"追加{i}課")
    client = as_user(town.secretariat)

    with django_assert_max_num_queries(6):
        response = client.get(f"{URL}summary/?fiscal_year=2026")

    assert response.json()["departments_total"] == 4 + extra


def test_monthly_series_for_charts(as_user, town):
    body = as_user(town.secretariat).get(f"{URL}monthly/?fiscal_year=2026").json()

    assert body["months"] == [f"2026-{m:02d}" for m in range(4, 13)] + ["2027-01", "2027-02", "2027-03"]
    assert [(m["month"], m["headcount"], m["teleworkers"], m["telework_days"]) for m in body["total"]] == [
        ("2026-05", 11, 1, 1),
        ("2026-06", 11, 3, 4),
    ]
    assert body["total"][1]["adoption_rate"] == 0.2727
    assert body["total"][1]["days_by_location"] == {"home": 3, "mobile": 1}
    somu = next(d for d in body["departments"] if d["code"] == "somu")
    assert [(m["month"], m["teleworkers"], m["adoption_rate"]) for m in somu["months"]] == [
        ("2026-05", 0, 0.0),
        ("2026-06", 2, 0.4),
    ]


def test_monthly_for_a_staff_member_is_their_department(as_user, town):
    # 建設課 has 2 staff: its own director sees the numbers, a staff member of it "—"
    director = as_user(town.directors["kensetsu"]).get(f"{URL}monthly/?fiscal_year=2026").json()
    staff = as_user(town.staff["G"]).get(f"{URL}monthly/?fiscal_year=2026").json()

    assert (
        [d["code"] for d in director["departments"]]
        == [d["code"] for d in staff["departments"]]
        == ["kensetsu"]
    )
    assert [(m["month"], m["teleworkers"]) for m in director["total"]] == [("2026-05", 1), ("2026-06", 0)]
    assert [(m["month"], m["teleworkers"], m["suppressed"]) for m in staff["total"]] == [
        ("2026-05", None, True),
        ("2026-06", None, True),
    ]


# --- The survey -------------------------------------------------------------------------------------------------


def test_survey_for_the_secretariat(as_user, town):
    response = as_user(town.secretariat).get(f"{URL}survey/?fiscal_year=2026")

    assert response.status_code == 200
    assert response.json() == {
        "fiscal_year": 2026,
        "as_of": "2026-10-01",
        "adoption_status": "implemented",
        "adoption_status_label": "導入済み",
        "planned_fiscal_year": None,
        "forms_used": ["home", "mobile"],
        "usage_rate_band": "30_50",
        "usage_rate": 0.3636,
        "headcount": 11,
        "teleworkers": 4,
        "telework_days": 5,
        "days_by_location": {"home": 4, "satellite": 0, "mobile": 1},
        "departments_total": 4,
        "departments_implementing": 3,
        "suppressed": False,
        "suppressed_reason": None,
    }


def test_survey_csv(as_user, town):
    response = as_user(town.secretariat).get(f"{URL}survey/?fiscal_year=2026&format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="telework-survey-2026.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["adoption_status"][2:] == ["導入済み", "implemented"]
    assert rows["usage_rate_band"][2:] == ["30%以上50%未満", "30_50"]
    assert rows["forms_used"][2:] == ["在宅勤務・モバイルワーク", "home;mobile"]
    assert rows["headcount"][3] == "11"


def test_survey_band_edges_from_the_snapshots(as_user, town):
    def band():
        body = as_user(town.secretariat).get(f"{URL}survey/?fiscal_year=2026").json()
        return body["teleworkers"], body["headcount"], body["usage_rate"], body["usage_rate_band"]

    snapshots = AdoptionSnapshot.objects
    s = town.staff

    def staff(department, *people):  # the department's people in every month, its headcount with them
        ids = sorted(person.pk for person in people)
        snapshots.filter(department=department).update(staff_ids=ids, headcount=len(ids))

    # given: kensetsu's teleworker taken out of the teleworkers → 3 of 5 + 3 + 2 + 1 = 11
    snapshots.filter(department=town.kensetsu).update(teleworker_ids=[], teleworkers=0, telework_days=0)
    assert band() == (3, 11, 0.2727, "under_30")
    # kikaku nobody → 3 of 10: exactly 30 % is in 30–50
    staff(town.kikaku)
    assert band() == (3, 10, 0.3, "30_50")
    # somu 2 (A, B), zeimu 1 (E), kensetsu 3 → 3 of 6: exactly 50 % is in 50–80
    staff(town.somu, s["A"], s["B"])
    staff(town.zeimu, s["E"])
    staff(town.kensetsu, s["G"], s["H"], town.directors["kensetsu"])
    assert band() == (3, 6, 0.5, "50_80")


def test_survey_is_for_the_secretariat_only(api_client, as_user, town):
    assert api_client.get(f"{URL}survey/").status_code == 401
    assert as_user(town.staff["A"]).get(f"{URL}survey/").status_code == 403
    denied = as_user(town.directors["somu"]).get(f"{URL}survey/?format=csv")
    assert (denied.status_code, denied["Content-Type"]) == (403, "application/problem+json")


def test_english_messages(as_user, town):
    response = as_user(town.secretariat).post(
        f"{URL}departments/somu/phase/", {"phase": "partial"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json()["detail"] == "The department is already in that phase."


def test_a_user_without_department_sees_no_department(as_user, town):
    mayor = EmployeeFactory(username="mayor", department=None, position="mayor")

    assert as_user(mayor).get(f"{URL}departments/").json() == []
    assert as_user(mayor).get(f"{URL}summary/").json()["departments_total"] == 0


# --- unknown fields (issue 13) --------------------------------------------------------------------------------


def test_phase_and_plan_writes_refuse_unknown_fields(as_user, town):
    client = as_user(town.secretariat)
    before = phase_state()
    moved = client.post(
        f"{URL}departments/kikaku/phase/", {"phase": "partial", "dat": "2026-11-01"}, format="json"
    )
    planned = client.put(
        f"{URL}departments/kikaku/plan/", {"planned": {"formal": "2027-04-01"}, "note": "x"}, format="json"
    )
    for response, field in ((moved, "dat"), (planned, "note")):
        assert response.status_code == 400
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "unknown_field")]
    assert phase_state() == before
    assert not PhasePlan.objects.filter(department=town.kikaku, phase="formal").exists()
