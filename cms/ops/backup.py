"""Backup and restore of a whole installation: the database and both file
stores in one .tar.gz (manage.py backup_sikanda / restore_sikanda).

Archive layout, in this order (restore reads it in one pass):

    manifest.json      format, engine, time, counts and referenced files as the
                       dump saw them, a fingerprint of SECRET_KEY
    database.pgdump    PostgreSQL: pg_dump --format=custom
    database.sqlite3   SQLite: the online backup API
    private/<name>     every file of STORAGES["private"] (report attachments)
    public/<name>      every file of STORAGES["default"] (MEDIA_ROOT: images,
                       documents, renditions)

Why physical dumps and not `dumpdata`: the database is restored exactly —
Wagtail's page tree (treebeard paths), revisions, workflow states, audit log,
search index, guardian's permission rows, sequences — with no natural-key or
content-type re-mapping that could go wrong on a tree.

Consistency: on PostgreSQL the counts and the list of referenced files are read
in one REPEATABLE READ transaction whose snapshot pg_dump then dumps
(`--snapshot`), so they describe exactly the dumped data. Files are copied
after the dump: a file written meanwhile is an orphan in the archive (harmless,
`clean_orphan_files` removes it); a file deleted meanwhile (a report deleted
during the backup) is reported as missing at the end.
"""

import hashlib
import hmac
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from cms.reports.models import Lampiran, Laporan

FORMAT = 1
# archive folder -> STORAGES alias
STORES = {"private": "private", "public": "default"}
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
SPOOL_BYTES = 16 * 1024 * 1024


def key_fingerprint():
    """Tells whether the restoring server has the same SECRET_KEY without
    putting the key, or anything it can be recovered from, in the archive."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"sikanda-backup-key-check", hashlib.sha256
    ).hexdigest()[:16]


def _counted_models():
    return {
        "laporan": Laporan,
        "lampiran": Lampiran,
        "halaman": Page,
        "revisi": Revision,
        "gambar": get_image_model(),
        "dokumen": get_document_model(),
        "pengguna": get_user_model(),
    }


def _file_columns():
    """(store, table, column) of every file name a row refers to."""
    image = get_image_model()
    rendition = image.get_rendition_model()
    return [
        ("private", Lampiran._meta.db_table, "berkas"),
        ("public", image._meta.db_table, "file"),
        ("public", get_document_model()._meta.db_table, "file"),
        ("public", rendition._meta.db_table, "file"),
    ]


def read_facts(cursor, quote):
    """Row counts and referenced file names, read with plain SQL so the same
    code reads the exported PostgreSQL snapshot and a SQLite copy."""
    counts = {}
    for label, model in _counted_models().items():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(model._meta.db_table)}")  # noqa: S608
        counts[label] = cursor.fetchone()[0]
    referenced = {store: set() for store in STORES}
    for store, table, column in _file_columns():
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        referenced[store].update(name for (name,) in cursor.fetchall())
    return counts, referenced


def _pg_env(settings_dict):
    env = {**os.environ}
    for key, variable in (
        ("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"), ("PORT", "PGPORT"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS", {})
    for option, variable in (
        ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"), ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _run(args, env):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as error:
        raise CommandError(
            f"{args[0]} tidak ditemukan: pasang klien PostgreSQL (paket postgresql-client) "
            "dengan versi yang sama atau lebih baru dari servernya."
        ) from error
    if result.returncode != 0:
        raise CommandError(f"{args[0]} gagal:\n{result.stderr.strip()}")
    return result


def walk(storage, folder=""):
    """Every file name in a storage, folders first-level sorted."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from walk(storage, posixpath.join(folder, sub) if folder else sub)


def _size(num):
    for unit in ("B", "KB", "MB", "GB"):
        if num < 1024 or unit == "GB":
            return f"{num:.1f} {unit}" if unit != "B" else f"{num} B"
        num /= 1024
    return f"{num:.1f} GB"


class Progress:
    """One line per step, and a running count at most every two seconds."""

    def __init__(self, say, total_steps):
        self.say, self.total, self.step = say, total_steps, 0
        self._last = 0.0

    def begin(self, label):
        self.step += 1
        self.say(f"[{self.step}/{self.total}] {label}…")

    def tick(self, text, force=False):
        now = time.monotonic()
        if force or now - self._last >= 2:
            self._last = now
            self.say(f"    {text}")


# -- backup ---------------------------------------------------------------------------


def backup(output, say=print):
    output = Path(output)
    if output.exists():
        raise CommandError(f"{output} sudah ada; cadangan tidak menimpa berkas.")
    if connection.vendor not in DUMPS:
        raise CommandError(f"Basis data {connection.vendor} tidak didukung (PostgreSQL, SQLite).")
    if connection.in_atomic_block:
        raise CommandError("Pencadangan tidak dapat berjalan di dalam transaksi.")
    progress = Progress(say, 4)
    partial = output.with_name(output.name + ".partial")
    workdir = Path(tempfile.mkdtemp(prefix="sikanda-backup-", dir=output.parent))
    started = time.monotonic()
    try:
        progress.begin(f"Basis data ({connection.vendor})")
        dump = workdir / DUMPS[connection.vendor]
        counts, referenced = _dump_database(dump)
        progress.tick(f"{_size(dump.stat().st_size)}; " + _counts_text(counts), force=True)

        manifest = {
            "format": FORMAT,
            "engine": connection.vendor,
            "created": timezone.now().isoformat(),
            "secret_key_fingerprint": key_fingerprint(),
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationExecutor(connection).loader.applied_migrations
            ),
            "counts": counts,
            "referenced_files": {store: len(names) for store, names in referenced.items()},
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), time.time()
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            dump.unlink()

            archived = {}
            for folder, alias in STORES.items():
                progress.begin(f"Berkas {folder} (STORAGES[{alias!r}])")
                archived[folder] = _archive_store(tar, folder, storages[alias], progress)

        progress.begin("Pemeriksaan")
        missing = {
            store: sorted(referenced[store] - archived[store]) for store in STORES
        }
        for store, names in missing.items():
            if names:
                say(
                    f"    PERINGATAN: {len(names)} berkas {store} dirujuk basis data tetapi tidak "
                    f"ada di penyimpanan (mis. {', '.join(names[:3])})."
                )
        os.replace(partial, output)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if partial.exists():
            partial.unlink()
    say(
        f"Cadangan selesai: {output} ({_size(output.stat().st_size)}, "
        f"{time.monotonic() - started:.1f} s). Simpan DJANGO_SECRET_KEY bersamanya: "
        "tanpa kunci yang sama, token perangkat tidak berlaku lagi setelah pemulihan."
    )
    return manifest


def _counts_text(counts):
    return ", ".join(f"{count} {label}" for label, count in counts.items())


def _dump_database(path):
    if connection.vendor == "postgresql":
        # One snapshot for the facts and the dump: they describe the same data.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            facts = read_facts(cursor, connection.ops.quote_name)
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={path}"],
                _pg_env(connection.settings_dict),
            )
        return facts
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return read_facts(target.cursor(), connection.ops.quote_name)
    finally:
        target.close()


def _archive_store(tar, folder, storage, progress):
    names, total = set(), 0
    for name in walk(storage):
        try:
            size = storage.size(name)
            modified = storage.get_modified_time(name).timestamp()
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            continue  # deleted while we walked (a probe file, a deleted draft)
        with handle:
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size, info.mtime, info.mode = size, modified, 0o600
            tar.addfile(info, handle)
        names.add(name)
        total += size
        progress.tick(f"{len(names)} berkas, {_size(total)}")
    progress.tick(f"{len(names)} berkas, {_size(total)}", force=True)
    return names


# -- restore --------------------------------------------------------------------------


def restore(archive, say=print):
    archive = Path(archive)
    if not archive.is_file():
        raise CommandError(f"{archive} tidak ada.")
    if connection.vendor not in DUMPS:
        raise CommandError(f"Basis data {connection.vendor} tidak didukung (PostgreSQL, SQLite).")
    # Everything that can refuse is checked before anything is written.
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(
            f"Basis data tujuan tidak kosong ({len(tables)} tabel, mis. {tables[0]}). "
            "Pulihkan ke basis data yang baru dibuat (createdb) dan kosong."
        )
    for folder, alias in STORES.items():
        first = next(walk(storages[alias]), None)
        if first is not None:
            raise CommandError(
                f"Penyimpanan {folder} (STORAGES[{alias!r}]) tidak kosong (mis. {first}). "
                "Pulihkan ke penyimpanan yang kosong."
            )

    progress = Progress(say, 4)
    started = time.monotonic()
    with tarfile.open(archive, mode="r|gz") as tar:
        members = iter(tar)
        progress.begin("Manifest")
        manifest = _read_manifest(tar, next(members, None))
        say(f"    cadangan {manifest['created']}: {_counts_text(manifest['counts'])}")
        if manifest["secret_key_fingerprint"] != key_fingerprint():
            say(
                "    PERINGATAN: DJANGO_SECRET_KEY server ini berbeda dari server yang "
                "dicadangkan: semua token perangkat (login aplikasi) tidak berlaku lagi."
            )

        progress.begin(f"Basis data ({manifest['engine']})")
        member = next(members, None)
        if member is None or member.name != DUMPS[manifest["engine"]]:
            raise CommandError("Arsip rusak: salinan basis data tidak ditemukan setelah manifest.")
        restored_counts, referenced = _restore_database(tar.extractfile(member))
        if restored_counts != manifest["counts"]:
            raise CommandError(
                f"Jumlah baris setelah pemulihan ({_counts_text(restored_counts)}) tidak sama "
                f"dengan cadangan ({_counts_text(manifest['counts'])})."
            )
        progress.tick(_counts_text(restored_counts), force=True)

        restored = {folder: set() for folder in STORES}
        progress.begin("Berkas privat dan publik")
        total = 0
        for member in members:
            folder, _sep, name = member.name.partition("/")
            if not member.isfile() or folder not in STORES or not _safe_name(name):
                raise CommandError(f"Arsip berisi entri yang tidak dikenal: {member.name!r}.")
            _restore_file(storages[STORES[folder]], name, tar.extractfile(member), member.size)
            restored[folder].add(name)
            total += member.size
            progress.tick(
                f"{sum(map(len, restored.values()))} berkas, {_size(total)}"
            )
        progress.tick(f"{sum(map(len, restored.values()))} berkas, {_size(total)}", force=True)

    progress.begin("Pemeriksaan")
    for store in STORES:
        missing = sorted(referenced[store] - restored[store])
        if missing:
            say(
                f"    PERINGATAN: {len(missing)} berkas {store} dirujuk basis data tetapi tidak "
                f"ada di cadangan (mis. {', '.join(missing[:3])})."
            )
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        say(
            f"    {len(pending)} migrasi kode ini lebih baru dari cadangan: jalankan "
            "`manage.py migrate`."
        )
    say(f"Pemulihan selesai ({time.monotonic() - started:.1f} s).")
    return manifest


def _read_manifest(tar, member):
    if member is None or member.name != "manifest.json":
        raise CommandError("Arsip ini bukan cadangan SIKANDA (manifest.json tidak di depan).")
    manifest = json.loads(tar.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
    if manifest["engine"] != connection.vendor:
        raise CommandError(
            f"Cadangan ini dari {manifest['engine']}; basis data tujuan {connection.vendor}."
        )
    return manifest


def _safe_name(name):
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "" not in parts


def _restore_database(stream):
    with tempfile.NamedTemporaryFile(prefix="sikanda-restore-", suffix=".db") as dump:
        shutil.copyfileobj(stream, dump)
        dump.flush()
        if connection.vendor == "postgresql":
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", f"--dbname={connection.settings_dict['NAME']}",
                 dump.name],
                _pg_env(connection.settings_dict),
            )
        else:
            connection.ensure_connection()
            source = sqlite3.connect(dump.name)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
    with connection.cursor() as cursor:
        return read_facts(cursor, connection.ops.quote_name)


def _restore_file(storage, name, stream, size):
    # A seekable copy: S3 uploads may rewind, the tar stream cannot.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        shutil.copyfileobj(stream, spool)
        spool.seek(0)
        content = File(spool, name=posixpath.basename(name))
        content.size = size
        saved = storage.save(name, content)
    if saved != name:
        storage.delete(saved)
        raise CommandError(f"Berkas {name} tersimpan sebagai {saved}: penyimpanan tidak kosong?")
