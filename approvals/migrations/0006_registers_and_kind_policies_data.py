"""Seed the registers (文書番号簿) and each kind's policy (種別の文書規程), and version 2 of the general route rule.

Every existing number counter and numbered document belonged to the departments' 文書番号 register. The general
rule's version 2 (the 町長's and 副町長's own documents decided by the 町長; a vacant 課長 post's 専決 passed to the
副町長) is published only while the town still uses the seeded version 1.
"""

from django.db import migrations

REGISTERS = [
    # (code, name, number_format, per_department)
    ("bunsho", "文書番号簿", "{short_name}第{n}号", True),
    ("telework", "テレワーク申請受付簿", "テ受第{n}号", False),
]

# kind: (register code or None, retention_years, retention_permanent, handling_roles)
POLICIES = {
    "general": ("bunsho", None, False, []),
    "telework": ("telework", 1, False, []),
    "attendance_correction": (None, 5, False, ["hr"]),
    "timesheet": (None, 5, False, ["hr"]),
    "overtime": (None, 5, False, ["hr"]),
}

# Frozen copy of the general template of approvals.routing.DEFAULT_TEMPLATES at the time of this migration.
GENERAL_V2 = [
    {"kind": "review", "approver": "drafter_chief", "when": {"drafter_below": "chief"}},
    {"kind": "review", "approver": "drafter_director", "skip_if_final": True},
    {"kind": "consult", "approvers": ["consult_directors"], "mode": "all"},
    {"kind": "review", "approver": {"position": "deputy_mayor"}, "when": {"amount_gte": 1000000}},
    {
        "kind": "final",
        "authority": [
            {"when": {"drafter_at_least": "deputy_mayor"}, "approver": {"position": "mayor"}},
            {"when": {"amount_lt": 100000}, "approver": "drafter_director", "if_vacant": "next_rank"},
            {"when": {"amount_lt": 1000000}, "approver": {"position": "deputy_mayor"}},
            {"approver": {"position": "mayor"}},
        ],
    },
]


def seed(apps, schema_editor):
    Register = apps.get_model("approvals", "Register")
    KindPolicy = apps.get_model("approvals", "KindPolicy")
    Counter = apps.get_model("approvals", "DocumentNumberCounter")
    Document = apps.get_model("approvals", "Document")
    RouteRule = apps.get_model("approvals", "RouteRule")
    registers = {}
    for code, name, number_format, per_department in REGISTERS:
        registers[code], _created = Register.objects.get_or_create(
            code=code,
            defaults={"name": name, "number_format": number_format, "per_department": per_department},
        )
    for kind, (register, years, permanent, roles) in POLICIES.items():
        KindPolicy.objects.get_or_create(
            kind=kind,
            defaults={
                "register": registers[register] if register else None,
                "retention_years": years,
                "retention_permanent": permanent,
                "handling_roles": roles,
            },
        )
    Counter.objects.filter(register__isnull=True).update(register=registers["bunsho"])
    Document.objects.exclude(number="").filter(register__isnull=True).update(register=registers["bunsho"])
    active = RouteRule.objects.filter(kind="general", active=True).first()
    if active is None or active.version != 1 or active.note != "初期設定":
        return
    if not Document.objects.filter(route_rule=active).exists():
        active.steps = GENERAL_V2
        active.save(update_fields=["steps"])
        return
    active.active = False
    active.save(update_fields=["active"])
    RouteRule.objects.create(kind="general", version=2, active=True, steps=GENERAL_V2, note="初期設定 第2版")


def unseed(apps, schema_editor):
    RouteRule = apps.get_model("approvals", "RouteRule")
    second = RouteRule.objects.filter(kind="general", version=2, note="初期設定 第2版", active=True)
    if second.exists():  # documents may keep their version 2: it is only no longer the active one
        second.update(active=False)
        RouteRule.objects.filter(kind="general", version=1).update(active=True)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0005_registers_policies_posts")]

    operations = [migrations.RunPython(seed, unseed)]
