"""The GraphQL multipart request spec (what Apollo and the Flutter clients
send for file uploads): an `operations` JSON, a `map` JSON from file field to
variable paths, and the files. The files are put into the variables."""

import json

import graphene
from django.utils.translation import gettext as _


class Upload(graphene.Scalar):
    """A file sent with the GraphQL multipart request spec."""

    @staticmethod
    def serialize(value):
        return getattr(value, "name", None)

    @staticmethod
    def parse_literal(node, _variables=None):
        return None

    @staticmethod
    def parse_value(value):
        return value


class MultipartError(ValueError):
    pass


def operations_from_multipart(post, files):
    try:
        operations = json.loads(post["operations"])
        file_map = json.loads(post.get("map", "{}"))
    except (KeyError, ValueError) as exc:
        raise MultipartError(
            _("Permintaan multipart tidak sah: %(error)s") % {"error": exc}
        ) from exc
    if not isinstance(operations, dict) or not isinstance(file_map, dict):
        # A list would be a batch, and batching is off.
        raise MultipartError(_("Permintaan multipart harus berisi satu operasi."))
    for key, paths in file_map.items():
        if key not in files:
            raise MultipartError(
                _("Berkas '%(key)s' disebut dalam map tetapi tidak dikirim.") % {"key": key}
            )
        for path in paths:
            _place(operations, path.split("."), files[key])
    return operations


def _place(target, path, value):
    *parents, last = path
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
