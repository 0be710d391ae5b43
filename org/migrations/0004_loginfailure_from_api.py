# The login lockout moved from `api` to `org`: only Django's state moves (the table keeps its name and its
# rows, no data step); the content type is renamed with it, so permissions given on it keep working.

from django.db import migrations, models


def move_content_type(apps, schema_editor, *, source="api", target="org"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="loginfailure").exists():
        types.filter(app_label=source, model="loginfailure").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="org", target="api")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_absence_labels'),
        ('api', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LoginFailure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('username', models.CharField(max_length=150, unique=True, verbose_name='ユーザー名')),
                        ('failures', models.PositiveIntegerField(default=0, verbose_name='連続失敗回数')),
                        ('last_failed_at', models.DateTimeField(blank=True, null=True, verbose_name='最終失敗日時')),
                        ('locked_until', models.DateTimeField(blank=True, null=True, verbose_name='ロック期限')),
                    ],
                    options={
                        'verbose_name': 'ログイン失敗',
                        'verbose_name_plural': 'ログイン失敗',
                        'db_table': 'api_loginfailure',
                        'indexes': [models.Index(fields=['last_failed_at'], name='api_loginfa_last_fa_ba9e35_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
