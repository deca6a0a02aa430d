"""The report permission policy: the one place that answers "may this user
see / edit / verify this report" and "which reports may this user see".

Every path goes through it: the Wagtail admin (registered as the model's
permission policy and enforced on every per-object admin URL), the workflow
task, attachments, the public archive, and later the API, exports and
notifications.

Rules
- Administrator (and superusers): every report; edit any; delete; never
  publish outside the verification workflow.
- Pimpinan: every verified report, publik or terbatas, and those retracted.
- Verifikator: every submitted report of the kecamatan they are assigned to
  verify (not officers' unsent drafts); may approve or send back those, except
  their own.
- Petugas: their own reports in every state, editable while draft or sent
  back; files reports only for kecamatan they are assigned to.
- Instansi: the reports forwarded to their agency by a disposition in force
  (a guardian object permission written only by cms/followup); restricted
  fields only when that disposition shares them.
- Everyone, signed in or not: verified *publik* reports.
"""

from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from cms.accounts import roles

from .assignments import FILE_REPORT, VERIFY_REPORT, assigned_kecamatan
from .models import Laporan
from .models.laporan import Klasifikasi, Status

EDITABLE_BY_OWNER = (Status.DRAF, Status.PERLU_PERBAIKAN)


def _roles(user):
    cached = getattr(user, "_sikanda_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._sikanda_roles = cached
    return cached


def _kecamatan_ids(user, perm):
    cache = user.__dict__.setdefault("_sikanda_kecamatan", {})
    if perm not in cache:
        cache[perm] = frozenset(assigned_kecamatan(user, perm).values_list("pk", flat=True))
    return cache[perm]


class LaporanPermissionPolicy(BasePermissionPolicy):
    def __init__(self):
        super().__init__(Laporan)

    # -- who is who ---------------------------------------------------------
    @staticmethod
    def _active(user):
        return user is not None and user.is_authenticated and user.is_active

    def is_administrator(self, user):
        return self._active(user) and (user.is_superuser or roles.ADMINISTRATOR in _roles(user))

    def is_pimpinan(self, user):
        return self._active(user) and roles.PIMPINAN in _roles(user)

    def verify_kecamatan_ids(self, user):
        if not self._active(user) or roles.VERIFIKATOR not in _roles(user):
            return frozenset()
        return _kecamatan_ids(user, VERIFY_REPORT)

    def file_kecamatan_ids(self, user):
        if not self._active(user) or roles.PETUGAS not in _roles(user):
            return frozenset()
        return _kecamatan_ids(user, FILE_REPORT)

    # -- Instansi: reports forwarded by a disposition (cms/followup/access.py) --
    def is_instansi(self, user):
        return self._active(user) and roles.INSTANSI in _roles(user)

    def _forwarded_q(self, user):
        from cms.followup import access

        return access.forwarded_q(user) if self.is_instansi(user) else None

    def _forwarded(self, user, laporan):
        from cms.followup import access

        return self.is_instansi(user) and access.is_forwarded(user, laporan)

    def _forwarded_restricted(self, user, laporan):
        from cms.followup import access

        return self.is_instansi(user) and access.shares_restricted(user, laporan)
    # -- end Instansi ------------------------------------------------------------

    # -- querysets ------------------------------------------------------------
    def visible_to(self, user):
        """Which reports this user may see.

        One OR of branches that each read only this table's own columns (or,
        for Instansi, one EXISTS on the grant's unique index), with branches
        that another one already covers left out: PostgreSQL can then walk
        the index of the list's order and test each row, or combine the
        branches' indexes (BitmapOr), instead of scanning the table. The
        earlier `pk IN (subquery)` and redundant branches made the planner
        estimate the OR badly and scan."""
        reports = Laporan.objects.all()
        if self.is_administrator(user):
            return reports
        if not self._active(user):
            return reports.public()
        return reports.filter(self._visible_q(user))

    def verified_visible_to(self, user):
        """The verified (live) reports this user may see: `visible_to` and
        `live`, with `live` repeated inside every branch of the OR.

        Repeated because PostgreSQL then factors it out of the OR: the policy
        becomes `live AND (…)`, which the partial index of live reports
        (laporan_live_kejadian_idx) implies, and what is left of the OR reads
        only columns that index carries, so the dashboard charts are index-only
        scans. A `live` inside one branch only (the public branch's) made every
        row of the window a heap fetch: a seq scan for a verifier at a million
        reports. The rows are the same: (A OR B) AND live is (A AND live) OR
        (B AND live)."""
        reports = Laporan.objects.filter(live=True)
        if self.is_administrator(user):
            return reports
        if not self._active(user):
            return reports.public()
        return reports.filter(self._visible_q(user, live=True))

    def _visible_q(self, user, live=False):
        if self.is_pimpinan(user):
            # Every verified report, whatever its classification, covers the
            # public branch.
            branches = [Q(live=True), Q(status=Status.DITARIK)]
        else:
            branches = [Q(live=True, klasifikasi=Klasifikasi.PUBLIK)]
        branches.append(Q(pelapor=user))
        if kecamatan_ids := self.verify_kecamatan_ids(user):
            branches.append(Q(kecamatan_id__in=sorted(kecamatan_ids), nomor__isnull=False))
        if (forwarded := self._forwarded_q(user)) is not None:  # Instansi
            branches.append(forwarded)
        if live:
            branches = [Q(live=True) & branch for branch in branches]
        allowed = branches[0]
        for branch in branches[1:]:
            allowed |= branch
        return allowed

    def verifiable_by(self, user):
        """Reports waiting for this user's verification."""
        waiting = Laporan.objects.filter(status=Status.MENUNGGU)
        if self.is_administrator(user):
            return waiting
        if not (kecamatan_ids := self.verify_kecamatan_ids(user)):
            return Laporan.objects.none()
        return waiting.filter(kecamatan_id__in=kecamatan_ids).exclude(pelapor=user)

    def editable_by(self, user):
        if self.is_administrator(user):
            return Laporan.objects.all()
        if not self._active(user):
            return Laporan.objects.none()
        return Laporan.objects.filter(pelapor=user, status__in=EDITABLE_BY_OWNER)

    # -- single objects -------------------------------------------------------
    def user_can_view(self, user, laporan):
        if laporan.is_public or self.is_administrator(user):
            return True
        if not self._active(user):
            return False
        if laporan.pelapor_id == user.pk:
            return True
        if (laporan.live or laporan.is_retracted) and self.is_pimpinan(user):
            return True
        if laporan.nomor is not None and laporan.kecamatan_id in self.verify_kecamatan_ids(user):
            return True
        return self._forwarded(user, laporan)  # Instansi

    def user_can_edit(self, user, laporan):
        if self.is_administrator(user):
            return True
        return (
            self._active(user)
            and laporan.pelapor_id == user.pk
            and laporan.status in EDITABLE_BY_OWNER
        )

    def user_can_verify(self, user, laporan):
        if self.is_administrator(user):
            return True
        return (
            laporan.kecamatan_id in self.verify_kecamatan_ids(user)
            and laporan.pelapor_id != user.pk
        )

    def user_can_see_restricted(self, user, laporan):
        """Reporter identity, source information, grading and verifier
        comments: never for guests, whatever the classification."""
        if self.is_administrator(user):
            return True
        if not self._active(user):
            return False
        return (
            laporan.pelapor_id == user.pk
            or ((laporan.live or laporan.is_retracted) and self.is_pimpinan(user))
            or (laporan.nomor is not None
                and laporan.kecamatan_id in self.verify_kecamatan_ids(user))
            or self._forwarded_restricted(user, laporan)  # Instansi
        )

    def user_can_file_for(self, user, kecamatan):
        return kecamatan is not None and kecamatan.pk in self.file_kecamatan_ids(user)

    # -- Wagtail's permission policy interface ------------------------------
    def user_has_permission(self, user, action):
        if action == "publish":
            # Publication happens only by approval in the verification workflow.
            return False
        if self.is_administrator(user):
            return True
        if not self._active(user):
            return False
        if action == "view":
            return bool(
                self.is_pimpinan(user) or self.verify_kecamatan_ids(user)
                or self.file_kecamatan_ids(user)
            )
        if action in ("add", "change"):
            return bool(self.file_kecamatan_ids(user))
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return self.user_can_view(user, instance)
        if action == "change":
            return self.user_can_edit(user, instance)
        if action == "publish":
            return False
        if action == "delete":
            return self.is_administrator(user) or (
                self._active(user) and instance.pelapor_id == user.pk and instance.nomor is None
            )
        return self.is_administrator(user)

    def instances_user_has_permission_for(self, user, action):
        if action == "view":
            return self.visible_to(user)
        if action == "change":
            return self.editable_by(user)
        if action == "publish":
            return Laporan.objects.none()
        if self.is_administrator(user):
            return Laporan.objects.all()
        return Laporan.objects.none()

    def users_with_permission_for_instance(self, action, instance):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        admins = Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR)
        if action == "verify":
            from .assignments import assigned_users

            verifiers = assigned_users(instance.kecamatan, VERIFY_REPORT).values("pk")
            return (
                User.objects.filter(admins | Q(pk__in=verifiers, groups__name=roles.VERIFIKATOR))
                .filter(is_active=True).exclude(pk=instance.pelapor_id).distinct()
            )
        return User.objects.filter(admins, is_active=True).distinct()


laporan_policy = LaporanPermissionPolicy()
