from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Group.objects.get(name="Administrator").permissions.add(*Permission.objects.filter(
        content_type__app_label="notifications", codename="view_siaran",
    ))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_siaran"), ("accounts", "0001_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
