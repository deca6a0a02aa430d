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
    name = instance.berkas.name
    if name:
        transaction.on_commit(lambda: remove([name]), robust=True)


def referenced_names():
    from .models.laporan import Lampiran

    return set(Lampiran.objects.exclude(berkas="").values_list("berkas", flat=True))


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
