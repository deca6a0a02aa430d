"""The recap permission policy: who may see, edit, submit, approve, sign and
download a recap. Roles and kecamatan assignment are read through the report
policy (`laporan_policy`), so a verifier's reach is the same for recaps as
for reports.

Kecamatan recap
- seen (and downloaded) by the verifiers assigned to its kecamatan, by
  administrators, and by Pimpinan once approved (the leadership acts on
  approved documents, as it reads verified reports only);
- never by officers, guests, anonymous visitors, or verifiers of another
  kecamatan;
- edited and submitted by its kecamatan's verifiers (and administrators)
  while a draft or sent back; approved or sent back by an administrator.

Kabupaten recap
- seen by administrators, and by Pimpinan once signed;
- edited and submitted by administrators while a draft or sent back;
- approved, which is signing, by the signer configured in the site settings
  (*Penandatangan*), who must be an administrator. Without a configured
  signer nobody can sign.

An approved recap is frozen: nobody edits it.
"""

from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from cms.reports.permissions import laporan_policy

from .models import EDITABLE, FINAL, Penandatangan, RekapKabupaten, RekapKecamatan, StatusRekap


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


class RekapPolicy(BasePermissionPolicy):
    def is_administrator(self, user):
        return laporan_policy.is_administrator(user)

    def is_pimpinan(self, user):
        return laporan_policy.is_pimpinan(user)

    # -- single objects -----------------------------------------------------
    def user_can_download(self, user, recap):
        return self.user_can_view(user, recap)

    def user_can_edit(self, user, recap):
        return recap.status in EDITABLE and self.user_can_submit(user, recap)

    def user_can_sign(self, user, recap):
        return False

    # -- Wagtail's permission policy interface ------------------------------
    def user_has_permission(self, user, action):
        if action == "view":
            return self.user_may_list(user)
        if action in ("change", "lock", "unlock"):
            return self.user_may_edit_some(user)
        if action == "publish":
            # Publishing is the workflow's approval (cms/recaps/transitions.py);
            # the edit view never offers it as a button (admin_views).
            return self.is_administrator(user)
        # Recaps are generated (manage.py generate_recaps) and are records:
        # nobody adds or deletes them by hand.
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return self.user_can_view(user, instance)
        if action in ("change", "lock", "unlock"):
            return self.user_can_edit(user, instance)
        if action == "publish":
            return self.user_can_approve(user, instance)
        return False

    def instances_user_has_permission_for(self, user, action):
        if action == "view":
            return self.visible_to(user)
        return self.model.objects.none()


class RekapKecamatanPolicy(RekapPolicy):
    def __init__(self):
        super().__init__(RekapKecamatan)

    def visible_to(self, user):
        recaps = RekapKecamatan.objects.all()
        if self.is_administrator(user):
            return recaps
        allowed = Q(pk__in=[])
        if self.is_pimpinan(user):
            allowed |= Q(status__in=FINAL)
        if kecamatan_ids := laporan_policy.verify_kecamatan_ids(user):
            allowed |= Q(kecamatan_id__in=kecamatan_ids)
        return recaps.filter(allowed)

    def user_may_list(self, user):
        return bool(
            self.is_administrator(user) or self.is_pimpinan(user)
            or laporan_policy.verify_kecamatan_ids(user)
        )

    def user_may_edit_some(self, user):
        return bool(self.is_administrator(user) or laporan_policy.verify_kecamatan_ids(user))

    def user_can_view(self, user, recap):
        if not _active(user):
            return False
        if self.is_administrator(user):
            return True
        if recap.kecamatan_id in laporan_policy.verify_kecamatan_ids(user):
            return True
        return recap.status in FINAL and self.is_pimpinan(user)

    def user_can_submit(self, user, recap):
        return self.is_administrator(user) or (
            recap.kecamatan_id in laporan_policy.verify_kecamatan_ids(user)
        )

    def user_can_approve(self, user, recap):
        return recap.status == StatusRekap.MENUNGGU and self.is_administrator(user)

    def instances_user_has_permission_for(self, user, action):
        if action == "change":
            editable = self.visible_to(user).filter(status__in=EDITABLE)
            if self.is_administrator(user):
                return editable
            return editable.filter(kecamatan_id__in=laporan_policy.verify_kecamatan_ids(user))
        return super().instances_user_has_permission_for(user, action)


class RekapKabupatenPolicy(RekapPolicy):
    def __init__(self):
        super().__init__(RekapKabupaten)

    def visible_to(self, user):
        recaps = RekapKabupaten.objects.all()
        if self.is_administrator(user):
            return recaps
        if self.is_pimpinan(user):
            return recaps.filter(status=StatusRekap.DITANDATANGANI)
        return recaps.none()

    def user_may_list(self, user):
        return bool(self.is_administrator(user) or self.is_pimpinan(user))

    def user_may_edit_some(self, user):
        return self.is_administrator(user)

    def user_can_view(self, user, recap):
        if self.is_administrator(user):
            return True
        return recap.status == StatusRekap.DITANDATANGANI and self.is_pimpinan(user)

    def user_can_submit(self, user, recap):
        return self.is_administrator(user)

    def signer_id(self):
        return Penandatangan.current().pengguna_id

    def user_can_approve(self, user, recap):
        return (
            recap.status == StatusRekap.MENUNGGU
            and self.is_administrator(user)
            and user.pk is not None
            and user.pk == self.signer_id()
        )

    def user_can_sign(self, user, recap):
        return self.user_can_approve(user, recap)

    def instances_user_has_permission_for(self, user, action):
        if action == "change":
            if self.is_administrator(user):
                return RekapKabupaten.objects.filter(status__in=EDITABLE)
            return RekapKabupaten.objects.none()
        return super().instances_user_has_permission_for(user, action)


rekap_kecamatan_policy = RekapKecamatanPolicy()
rekap_kabupaten_policy = RekapKabupatenPolicy()


def policy_for(recap_or_model):
    model = recap_or_model if isinstance(recap_or_model, type) else type(recap_or_model)
    if issubclass(model, RekapKabupaten):
        return rekap_kabupaten_policy
    return rekap_kecamatan_policy
