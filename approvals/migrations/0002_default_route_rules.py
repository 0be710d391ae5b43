"""Seed version 1 of the route rule of every kind (the demo town's 専決区分)."""

from django.db import migrations

# Frozen copy of approvals.routing.DEFAULT_TEMPLATES at the time of this migration.
TEMPLATES = {
    "general": [
        {
            "kind": "review",
            "approver": "drafter_chief",
            "when": {
                "drafter_below": "chief"
            }
        },
        {
            "kind": "review",
            "approver": "drafter_director",
            "skip_if_final": True
        },
        {
            "kind": "consult",
            "approvers": [
                "consult_directors"
            ],
            "mode": "all"
        },
        {
            "kind": "review",
            "approver": {
                "position": "deputy_mayor"
            },
            "when": {
                "amount_gte": 1000000
            }
        },
        {
            "kind": "final",
            "authority": [
                {
                    "when": {
                        "amount_lt": 100000
                    },
                    "approver": "drafter_director"
                },
                {
                    "when": {
                        "amount_lt": 1000000
                    },
                    "approver": {
                        "position": "deputy_mayor"
                    }
                },
                {
                    "approver": {
                        "position": "mayor"
                    }
                }
            ]
        }
    ],
    "telework": [
        {
            "kind": "review",
            "approver": "drafter_chief",
            "when": {
                "drafter_below": "chief"
            },
            "skip_if_final": True
        },
        {
            "kind": "final",
            "approver": "drafter_director"
        }
    ],
    "attendance_correction": [
        {
            "kind": "final",
            "approver": "drafter_director"
        }
    ],
    "timesheet": [
        {
            "kind": "final",
            "approver": "drafter_director"
        }
    ],
    "overtime": [
        {
            "kind": "final",
            "approver": "drafter_director"
        }
    ]
}


def seed(apps, schema_editor):
    RouteRule = apps.get_model("approvals", "RouteRule")
    for kind, steps in TEMPLATES.items():
        if not RouteRule.objects.filter(kind=kind).exists():
            RouteRule.objects.create(kind=kind, version=1, active=True, steps=steps, note="初期設定")


def unseed(apps, schema_editor):
    apps.get_model("approvals", "RouteRule").objects.filter(version=1, note="初期設定").delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
