"""Every existing employee gets the assignment they hold now, from their hire date (or 2000-04-01 when it is not
known), so that "where was this person on that day" has an answer for the history before the first 人事異動."""

import datetime

from django.db import migrations

HISTORY_FLOOR = datetime.date(2000, 4, 1)


def forwards(apps, schema_editor):
    Employee = apps.get_model("org", "Employee")
    Assignment = apps.get_model("org", "Assignment")
    have = set(Assignment.objects.values_list("employee_id", flat=True))
    Assignment.objects.bulk_create(
        [
            Assignment(
                employee_id=employee.pk,
                start=employee.hired_on or HISTORY_FLOOR,
                department_id=employee.department_id,
                section_id=employee.section_id,
                position=employee.position,
                reason="初期配属",
            )
            for employee in Employee.objects.exclude(pk__in=have).iterator()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0005_sections_assignments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
