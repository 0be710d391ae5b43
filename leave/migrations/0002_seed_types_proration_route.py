"""Seed the leave types of the town's 勤務時間条例, the pro-rating table of the annual grant for staff hired during
the year (人事院規則15-14 別表第二), and the `leave` kind's route rule and document policy (保存年限 3 years)."""

from django.db import migrations

# code, name, units, paid, balance, max/year, max/event, window, attachment after, long after, order
TYPES = [
    ("annual", "年次休暇", ["day", "half_day", "hour"], True, True, None, None, ("", ""), None, None, 1),
    ("sick", "病気休暇", ["day", "half_day", "hour"], True, False, None, 90, ("", ""), 7, 30, 2),
    ("summer", "夏季休暇", ["day"], True, False, 3, None, ("07-01", "09-30"), None, None, 3),
    ("marriage", "結婚休暇", ["day"], True, False, None, 5, ("", ""), None, None, 4),
    ("bereavement", "忌引休暇", ["day"], True, False, None, 7, ("", ""), None, None, 5),
    ("child_care", "子の看護休暇", ["day", "half_day", "hour"], True, False, 5, None, ("", ""), None, None, 6),
    ("care", "介護休暇", ["day", "half_day", "hour"], False, False, None, 180, ("", ""), None, None, 7),
    ("duty_exemption", "職務専念義務免除", ["day", "half_day", "hour"], True, False, None, None, ("", ""), None, None, 8),
]

# month of the leave year in which someone was hired → days granted that year
PRORATION = {1: 20, 2: 18, 3: 17, 4: 15, 5: 13, 6: 12, 7: 10, 8: 8, 9: 7, 10: 5, 11: 3, 12: 2}

# Frozen copy of approvals.routing.DEFAULT_TEMPLATES["leave"] at the time of this migration.
ROUTE = [
    {"kind": "review", "approver": "drafter_chief", "when": {"drafter_below": "chief"}, "skip_if_final": True},
    {
        "kind": "review",
        "approver": "drafter_director",
        "when": {"category_in": ["sick_long"]},
        "skip_if_final": True,
    },
    {
        "kind": "final",
        "authority": [
            {"when": {"category_in": ["sick_long"]}, "approver": {"position": "deputy_mayor"}},
            {"approver": "drafter_director", "if_vacant": "next_rank"},
        ],
    },
]


def seed(apps, schema_editor):
    LeaveType = apps.get_model("leave", "LeaveType")
    ProrationRow = apps.get_model("leave", "ProrationRow")
    RouteRule = apps.get_model("approvals", "RouteRule")
    KindPolicy = apps.get_model("approvals", "KindPolicy")
    for code, name, units, paid, balance, per_year, per_event, window, attach, long, order in TYPES:
        LeaveType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "units": units,
                "paid": paid,
                "balance": balance,
                "max_days_per_year": per_year,
                "max_days_per_event": per_event,
                "window_start": window[0],
                "window_end": window[1],
                "needs_attachment_after_days": attach,
                "long_after_days": long,
                "sort_order": order,
            },
        )
    for month, days in PRORATION.items():
        ProrationRow.objects.get_or_create(month=month, defaults={"days": days})
    if not RouteRule.objects.filter(kind="leave").exists():
        RouteRule.objects.create(kind="leave", version=1, active=True, steps=ROUTE, note="初期設定")
    KindPolicy.objects.get_or_create(
        kind="leave", defaults={"retention_years": 3, "retention_permanent": False, "handling_roles": ["hr"]}
    )


def unseed(apps, schema_editor):
    apps.get_model("approvals", "RouteRule").objects.filter(kind="leave", version=1, note="初期設定").delete()
    apps.get_model("approvals", "KindPolicy").objects.filter(kind="leave").delete()


class Migration(migrations.Migration):
    dependencies = [("leave", "0001_initial"), ("approvals", "0010_document_kind_leave")]

    operations = [migrations.RunPython(seed, unseed)]
