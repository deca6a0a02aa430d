"""Usernames a guest may register.

A guest must not be able to pass for staff or for someone else: `ADMIN`,
`admіn` (Cyrillic і), `verifikator.paringin2` or `budi_santoso` next to an
existing `budi.santoso`. Names are stored normalised (NFKC, case-folded) and
compared by *skeleton*: the name reduced to what it looks like (Unicode TS #39
idea): compatibility forms folded, accents dropped, letters of other scripts
that look like Latin ones replaced by them (the Unicode confusables data, as
shipped by `confusable_homoglyphs`), look-alike ASCII unified (0/o, 1/l/i,
rn/m, vv/w), separators removed. A new name is refused when its skeleton is
that of an existing or reserved name, or starts with a reserved prefix."""

import unicodedata
from functools import cache

from confusable_homoglyphs import confusables
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import roles

SKELETON_MAX_LENGTH = 150
_ASCII_LOOKALIKES = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})
_SEQUENCE_LOOKALIKES = (("rn", "m"), ("vv", "w"))


def normalise(username):
    """How a username is stored: NFKC, case-folded (`ADMIN` → `admin`,
    full-width `ａｄｍｉｎ` → `admin`)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold()).strip()


@cache
def _latin_lookalikes():
    """Non-ASCII character → the ASCII letter or digit it is confusable with."""
    table = {}
    for char, glyphs in confusables.confusables_data.items():
        if char.isascii() or len(char) != 1:
            continue
        for glyph in glyphs:
            candidate = glyph["c"].strip("\u200e").casefold()
            if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
                table[char] = candidate
                break
    return table


def skeleton(username):
    lookalikes = _latin_lookalikes()
    letters = []
    for char in unicodedata.normalize("NFD", normalise(username)):
        if unicodedata.combining(char):
            continue
        char = lookalikes.get(char, char)
        if char.isalnum():
            letters.append(char)
    folded = "".join(letters).translate(_ASCII_LOOKALIKES)
    for sequence, single in _SEQUENCE_LOOKALIKES:
        folded = folded.replace(sequence, single)
    # Decomposition can lengthen a name (Hangul syllables into jamo); the
    # stored column holds a username's length.
    return folded[:SKELETON_MAX_LENGTH]


def _reserved():
    names = set(settings.SIKANDA_RESERVED_USERNAMES) | {name.casefold() for name in roles.ALL}
    return {skeleton(name) for name in names}


def _reserved_prefixes():
    prefixes = set(settings.SIKANDA_RESERVED_USERNAME_PREFIXES)
    prefixes |= {name.casefold() for name in roles.ADMIN_ROLES + (roles.PETUGAS,)}
    return tuple(skeleton(prefix) for prefix in prefixes)


def validate_new_username(username):
    """Refuse a username that could be mistaken for staff or for an existing
    user. `username` is already normalised."""
    from .models import UsernameSkeleton

    mark = skeleton(username)
    message = _("Nama pengguna ini tidak dapat dipakai: terlalu mirip dengan nama yang sudah "
                "ada atau nama yang dicadangkan. Pilih nama lain.")
    if not mark or mark in _reserved() or mark.startswith(_reserved_prefixes()):
        raise ValidationError(message, code="invalid")
    if confusables.is_dangerous(username):
        raise ValidationError(
            _("Nama pengguna mencampur huruf dari beberapa aksara yang mirip satu sama lain. "
              "Pilih nama lain."),
            code="invalid",
        )
    if UsernameSkeleton.objects.filter(skeleton=mark).exists():
        raise ValidationError(message, code="invalid")
