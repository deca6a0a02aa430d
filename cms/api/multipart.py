"""The GraphQL multipart request spec (what Apollo and the Flutter clients
send for file uploads): an `operations` JSON, a `map` JSON from file field to
variable paths, and the files. The files are put into the variables.

Every malformed body is refused with INVALID_MULTIPART (or TOO_MANY_FILES)
before anything runs: a path must lead into `variables` to a `null`
placeholder the client left for it, and one file fills exactly one slot, so
one upload cannot be stored many times over."""

import json

from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from cms.platform.api.errors import RequestRefused, TransportCode


class TooManyUploads(TooManyFilesSent):
    """A TooManyFilesSent, so Django marks the request's POST as unreadable
    instead of trying to parse the rest of the body again."""


class FileCountLimit(FileUploadHandler):
    """Stops reading a multipart body at the first file past `limit`; the
    remaining files are never read."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.count = 0

    def new_file(self, *args, **kwargs):
        self.count += 1
        if self.count > self.limit:
            raise TooManyUploads(self.limit)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def _refused(message):
    return RequestRefused(TransportCode.INVALID_MULTIPART, message)


def _json_field(post, name, default=None):
    raw = post.get(name, default)
    if raw is None:
        raise _refused(_("Permintaan multipart tanpa bagian '%(name)s'.") % {"name": name})
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise _refused(
            _("Bagian '%(name)s' bukan JSON yang sah.") % {"name": name}
        ) from exc


def operations_from_multipart(post, files):
    operations = _json_field(post, "operations")
    file_map = _json_field(post, "map", "{}")
    if isinstance(operations, list):
        raise RequestRefused(
            TransportCode.BATCHING_DISABLED, _("Permintaan multipart harus berisi satu operasi.")
        )
    if not isinstance(operations, dict) or not isinstance(file_map, dict):
        raise _refused(_("Permintaan multipart harus berisi satu operasi."))
    for key in files:
        if key not in file_map:
            raise _refused(
                _("Berkas '%(key)s' dikirim tetapi tidak disebut dalam map.") % {"key": key}
            )
    for key, paths in file_map.items():
        if key not in files:
            raise _refused(
                _("Berkas '%(key)s' disebut dalam map tetapi tidak dikirim.") % {"key": key}
            )
        if len(files.getlist(key)) != 1:
            raise _refused(_("Berkas '%(key)s' dikirim lebih dari sekali.") % {"key": key})
        if not isinstance(paths, list) or len(paths) != 1 or not isinstance(paths[0], str):
            raise _refused(
                _("Berkas '%(key)s' harus dipetakan ke tepat satu variabel.") % {"key": key}
            )
        _place(operations, paths[0], files[key])
    return operations


def _place(operations, path, upload):
    """Put the upload where `path` (e.g. "variables.files.0") points; the slot
    must exist and hold the client's `null` placeholder."""
    head, *parts = path.split(".")
    target = operations.get("variables") if head == "variables" else None
    if not parts or not isinstance(target, dict):
        raise _refused(_("Jalur '%(path)s' dalam map tidak menunjuk ke variabel.") % {"path": path})
    *parents, last = parts
    for part in parents:
        target = _child(target, part, path)
    if isinstance(target, list):
        index = _index(target, last, path)
        if target[index] is not None:
            raise _occupied(path)
        target[index] = upload
    elif isinstance(target, dict) and last in target:
        if target[last] is not None:
            raise _occupied(path)
        target[last] = upload
    else:
        raise _missing(path)


def _child(target, part, path):
    if isinstance(target, list):
        return target[_index(target, part, path)]
    if isinstance(target, dict) and part in target:
        return target[part]
    raise _missing(path)


def _index(items, part, path):
    if part.isascii() and part.isdigit() and len(part) < 10 and int(part) < len(items):
        return int(part)
    raise _missing(path)


def _missing(path):
    return _refused(
        _("Jalur '%(path)s' dalam map tidak ada dalam variabel operasi.") % {"path": path}
    )


def _occupied(path):
    return _refused(
        _("Jalur '%(path)s' dalam map harus bernilai null di operasi.") % {"path": path}
    )
