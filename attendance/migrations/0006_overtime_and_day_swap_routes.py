"""Seed the route rules of overtime orders and day swaps (data), and the day swap's kind policy (種別の文書規程).

`overtime` (version 1 was seeded with the other kinds, decided by the drafter's 課長): a director's order for
their staff (category 時間外勤務命令) is decided by the director on submission (their own 決裁 skipped, so it is
recorded as decided by them); the employee's 事前申請 is decided by their 課長 (their superior when the employee is
the 課長). Published as version 2 only while the town still uses the seeded version 1. `day_swap`: decided by the
drafter's 課長, kept 5 years, handled by HR, no register.
"""

from django.db import migrations

# Frozen copies of the templates at the time of this migration.
OVERTIME_V2 = [
    {
        "kind": "final",
        "authority": [
            {"when": {"category_in": ["時間外勤務命令"]}, "approver": "drafter_director", "if_drafter": "skip"},
            {"approver": "drafter_director"},
        ],
    }
]
DAY_SWAP = [{"kind": "final", "approver": "drafter_director"}]


def seed(apps, schema_editor):
    RouteRule = apps.get_model("approvals", "RouteRule")
    KindPolicy = apps.get_model("approvals", "KindPolicy")
    Document = apps.get_model("approvals", "Document")
    KindPolicy.objects.get_or_create(
        kind="day_swap", defaults={"retention_years": 5, "retention_permanent": False, "handling_roles": ["hr"]}
    )
    if not RouteRule.objects.filter(kind="day_swap").exists():
        RouteRule.objects.create(kind="day_swap", version=1, active=True, steps=DAY_SWAP, note="初期設定")
    active = RouteRule.objects.filter(kind="overtime", active=True).first()
    if active is None or active.version != 1 or active.note != "初期設定":
        return
    if not Document.objects.filter(route_rule=active).exists():
        active.steps = OVERTIME_V2
        active.save(update_fields=["steps"])
        return
    active.active = False
    active.save(update_fields=["active"])
    RouteRule.objects.create(kind="overtime", version=2, active=True, steps=OVERTIME_V2, note="初期設定 第2版")


def unseed(apps, schema_editor):
    RouteRule = apps.get_model("approvals", "RouteRule")
    RouteRule.objects.filter(kind="day_swap", version=1, note="初期設定").delete()
    apps.get_model("approvals", "KindPolicy").objects.filter(kind="day_swap").delete()
    second = RouteRule.objects.filter(kind="overtime", version=2, note="初期設定 第2版", active=True)
    if second.exists():
        second.update(active=False)
        RouteRule.objects.filter(kind="overtime", version=1).update(active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0005_overtime_orders_day_swaps"),
        ("approvals", "0009_document_kind_day_swap"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
