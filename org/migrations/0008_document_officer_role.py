"""The role 文書主任 (document_officer): the officer of a department's documents (文書管理規程), who may hand a
waiting step of the department's documents to another approver."""

from django.db import migrations, models


def create_role(apps, schema_editor):
    apps.get_model("org", "Role").objects.get_or_create(code="document_officer")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0007_security'),
    ]

    operations = [
        migrations.AlterField(
            model_name='role',
            name='code',
            field=models.CharField(choices=[('staff', '職員'), ('manager', '管理職'), ('secretariat', 'デジタル推進係'), ('hr', '人事・総務係'), ('admin', 'システム管理者'), ('document_officer', '文書主任')], max_length=20, primary_key=True, serialize=False, verbose_name='コード'),
        ),
        migrations.RunPython(create_role, migrations.RunPython.noop),
    ]
