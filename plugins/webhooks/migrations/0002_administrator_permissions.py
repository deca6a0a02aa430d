from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "add_endpoint",
    "change_endpoint",
    "delete_endpoint",
    "view_endpoint",
    "view_delivery",
    "change_delivery",
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="webhooks", codename__in=PERMISSIONS)
    administrator = Group.objects.filter(name="Administrator").first()
    if administrator is not None:
        administrator.permissions.add(*perms)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="webhooks", codename__in=PERMISSIONS)
    administrator = Group.objects.filter(name="Administrator").first()
    if administrator is not None:
        administrator.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("accounts", "0001_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
