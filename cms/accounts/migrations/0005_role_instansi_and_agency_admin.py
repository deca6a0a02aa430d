"""The role group Instansi (members of partner agencies: the app only, no
admin access, only reports forwarded to their agency — cms/followup), and the
permission for Administrators to keep the agencies' master data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

INSTANSI = "Instansi"


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("followup")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name=INSTANSI)
    perms = Permission.objects.filter(
        content_type__app_label="followup",
        codename__in=[f"{action}_instansi" for action in ("add", "change", "delete", "view")],
    )
    Group.objects.get(name="Administrator").permissions.add(*perms)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INSTANSI).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_device_session_rotation_and_username_skeleton"),
        ("followup", "0001_agencies_dispositions_incidents"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
