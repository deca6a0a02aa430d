from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="accounts",
        codename__in=["view_devicesession", "delete_devicesession"],
    )
    Group.objects.get(name="Administrator").permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_device_session")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
