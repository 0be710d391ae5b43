# The login lockout moved to `org` (org 0004): `api` forgets the model, the table stays with its rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
        ('org', '0004_loginfailure_from_api'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='LoginFailure')],
            database_operations=[],
        ),
    ]
