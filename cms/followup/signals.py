"""An agency's grants follow its membership: a member added sees what was
forwarded to the agency, a member removed (or the agency switched off) loses
it at once. Written through cms.followup.access, like every grant."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from . import access
from .models import Instansi


@receiver(m2m_changed, sender=Instansi.anggota.through, dispatch_uid="sikanda-instansi-anggota")
def members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    agencies = [instance.pk] if not reverse else list(pk_set or ())
    if reverse and action == "post_clear":
        agencies = list(Instansi.objects.values_list("pk", flat=True))
    with transaction.atomic():
        for pk in agencies:
            access.sync_instansi(pk)


@receiver(post_save, sender=Instansi, dispatch_uid="sikanda-instansi-aktif")
def agency_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        access.sync_instansi(instance.pk)
