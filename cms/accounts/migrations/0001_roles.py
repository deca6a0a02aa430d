"""The five SIKANDA roles as groups, each with exactly the permissions its
role needs. Later features grant their own permissions in their own
migrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Petugas", "Verifikator", "Administrator", "Pimpinan", "Pengguna"]
ADMIN_ACCESS = ("wagtailadmin", "access_admin")

MODEL_PERMISSIONS = {
    "Verifikator": [ADMIN_ACCESS],
    "Pimpinan": [ADMIN_ACCESS],
    "Administrator": [
        ADMIN_ACCESS,
        *[
            (app, f"{action}_{model}")
            for app, model in [
                ("reports", "kecamatan"),
                ("reports", "desa"),
                ("reports", "aspek"),
                ("reports", "jenisathg"),
                ("news", "newscategory"),
                ("auth", "user"),
            ]
            for action in ("add", "change", "delete", "view")
        ],
        ("auth", "view_group"),
        ("home", "change_sitesettings"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
    ],
}
# News and facility pages live under the home page; only administrators edit them.
ADMIN_PAGE_PERMISSIONS = [
    "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
]
ADMIN_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"), ("wagtailimages", "delete_image"),
    ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"), ("wagtaildocs", "delete_document"),
]


def ensure_permissions(apps):
    # Permissions are normally created after migrate; data migrations that hand
    # them out must create them first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def perm(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    # Wagtail's generic Editors/Moderators groups and their page workflow do not
    # match SIKANDA's roles: keeping them would leave a second, unexplained way in.
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()
    WorkflowPage.objects.filter(workflow__name="Moderators approval").delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for role, perms in MODEL_PERMISSIONS.items():
        groups[role].permissions.add(*(perm(apps, a, c) for a, c in perms))

    administrator = groups["Administrator"]
    root_page = Page.objects.get(depth=1)
    for codename in ADMIN_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=administrator, page=root_page, permission=perm(apps, "wagtailcore", codename)
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, codename in ADMIN_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=administrator, collection=root_collection,
            permission=perm(apps, app_label, codename),
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("home", "0002_create_homepage"),
        ("news", "0001_initial"),
        ("facilities", "0001_initial"),
        ("reports", "0002_master_data"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
