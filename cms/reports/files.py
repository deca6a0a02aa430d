"""Attachment files follow their rows.

A file is written to storage before its row commits, so a submission that
fails afterwards (validation of a later file, a lost race, a full disk, an
outbox error) would leave it behind: `cleanup_on_failure` deletes what was
written inside it when it ends with an exception. A deleted row's file is
removed once the deletion commits (`on_lampiran_deleted`). What slips
through both — a killed process, a rollback by an outer caller — is found by
`manage.py clean_orphan_files`."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from .storage import private_storage

logger = logging.getLogger("sikanda.reports")

_written = ContextVar("sikanda_written_files", default=None)

# Files live under this prefix (see models.laporan.lampiran_path); anything
# else in the private storage belongs to someone else.
PREFIX = "laporan/"


@contextmanager
def cleanup_on_failure():
    names = []
    token = _written.set(names)
    try:
        yield names
    except BaseException:
        remove(names)
        raise
    finally:
        _written.reset(token)


def store(laporan, built, start=0):
    """Save validated, unsaved Lampiran rows (attachments.build) for `laporan`."""
    names = _written.get()
    for order, lampiran in enumerate(built, start=start):
        lampiran.laporan = laporan
        lampiran.sort_order = order
        lampiran.save()
        if names is not None:
            names.append(lampiran.berkas.name)


def remove(names):
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete attachment file %s", name, exc_info=True)


def on_lampiran_deleted(sender, instance, **kwargs):
    name, laporan_id = instance.berkas.name, instance.laporan_id
    if not name:
        return

    def remove_if_report_gone():
        # An attachment removed by an edit may still be shown by an older
        # revision (and come back on revert): its file goes with the report.
        from .models import Laporan

        if not Laporan.objects.filter(pk=laporan_id).exists():
            remove([name])

    transaction.on_commit(remove_if_report_gone, robust=True)


def referenced_names():
    """Files a report row or any revision of a report still points at."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision

    from .models import Laporan
    from .models.laporan import Lampiran

    names = set(Lampiran.objects.exclude(berkas="").values_list("berkas", flat=True))
    contents = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Laporan)
    ).values_list("content", flat=True)
    for content in contents.iterator(chunk_size=500):
        for item in (content or {}).get("lampiran") or ():
            if isinstance(item, dict) and item.get("berkas"):
                names.add(item["berkas"])
    return names


def is_derived_from(name, referenced):
    """Cached renditions and public copies (cms.reports.derived) are named
    `<original>.<kind>.jpg`: they live as long as their original."""
    base, _, _suffix = name.rpartition(".")
    base, _, _kind = base.rpartition(".")
    return bool(base) and base in referenced


def stored_names(storage=None, prefix=PREFIX):
    """Every file under `prefix` in the private storage (relative names)."""
    storage = storage or private_storage()
    pending = [prefix.rstrip("/")]
    while pending:
        folder = pending.pop()
        try:
            folders, names = storage.listdir(folder)
        except FileNotFoundError:
            continue
        pending.extend(f"{folder}/{name}" for name in folders)
        yield from (f"{folder}/{name}" for name in names)
