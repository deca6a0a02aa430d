"""Wagtail's user admin, bounded by role.

Administrators manage accounts, but an account that is not a superuser must
not be able to make one — nor hand out a staff role it does not hold itself,
nor take over a superuser by editing its password. So, for an editor who is
not a superuser:

- the *is_superuser* checkbox is not on the form (a posted value is ignored);
- only groups without admin access, and staff groups the editor belongs to,
  can be given or taken away; the user's other groups stay as they are;
- superuser accounts cannot be edited.

A staff group is one that opens the Wagtail admin (`wagtailadmin.access_admin`):
Administrator, Verifikator, Pimpinan, and any such group added later."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from . import roles


def staff_groups():
    return Group.objects.filter(
        Q(name__in=roles.ADMIN_ROLES)
        | Q(permissions__content_type__app_label="wagtailadmin",
            permissions__codename="access_admin")
    ).distinct()


def assignable_groups(editor):
    """The groups `editor` may give to or take from another user."""
    if editor.is_superuser:
        return Group.objects.all()
    return Group.objects.exclude(pk__in=staff_groups().exclude(user=editor))


class RoleBoundMixin:
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        if for_user is None or for_user.is_superuser:
            return
        self.fields.pop("is_superuser", None)
        if "groups" in self.fields:
            self.fields["groups"].queryset = assignable_groups(for_user).order_by("name")

    def clean_groups(self):
        chosen = self.cleaned_data.get("groups")
        if self.for_user is None or self.for_user.is_superuser or not self.instance.pk:
            return chosen
        # Memberships the editor may not touch are kept, not silently dropped.
        kept = self.instance.groups.exclude(pk__in=assignable_groups(self.for_user))
        return Group.objects.filter(Q(pk__in=chosen) | Q(pk__in=kept))


class RoleBoundUserCreationForm(RoleBoundMixin, UserCreationForm):
    pass


class RoleBoundUserEditForm(RoleBoundMixin, UserEditForm):
    pass


class _PassEditor:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class CreateView(_PassEditor, users.CreateView):
    pass


class EditView(_PassEditor, users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied


def kecamatan_of(users_on_page):
    """{user id: "Halong (verifikasi), Paringin (lapor)"} for the users of one
    listing page, from their kecamatan assignments (guardian object
    permissions), in one query whatever the number of users."""
    from cms.reports.models import KecamatanUserObjectPermission

    labels = {"file_report": _("lapor"), "verify_report": _("verifikasi")}
    rows = (
        KecamatanUserObjectPermission.objects.filter(
            user_id__in=[user.pk for user in users_on_page],
            permission__codename__in=labels,
        )
        .order_by("content_object__nama")
        .values_list("user_id", "content_object__nama", "permission__codename")
    )
    found = {}
    for user_id, nama, codename in rows:
        found.setdefault(user_id, []).append(f"{nama} ({labels[codename]})")
    return {user_id: ", ".join(items) for user_id, items in found.items()}


class IndexView(users.IndexView):
    """The user listing with each user's role and kecamatan."""

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("groups")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        object_list = list(object_list)
        places = kecamatan_of(object_list)
        for user in object_list:
            user.sikanda_kecamatan = places.get(user.pk, "")
        return paginator, page, object_list, is_paginated

    @cached_property
    def columns(self):
        columns = list(super().columns)
        roles_column = Column(
            "peran", label=_("Peran"),
            accessor=lambda user: ", ".join(sorted(g.name for g in user.groups.all())) or "—",
        )
        places_column = Column(
            "kecamatan", label=_("Kecamatan"),
            accessor=lambda user: getattr(user, "sikanda_kecamatan", "") or "—",
        )
        # After the name and username columns.
        position = next(
            (i + 1 for i, column in enumerate(columns) if column.name == "username"), len(columns)
        )
        columns[position:position] = [roles_column, places_column]
        return columns


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return RoleBoundUserEditForm if for_update else RoleBoundUserCreationForm
