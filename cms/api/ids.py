"""Object ids as clients send them. A GraphQL ID is any string; only the
ASCII digits of a positive 64-bit integer name a row. Anything else names
nothing, so the caller answers as for an unknown id: `"²".isdigit()` is True
but not a number the database takes, and thirty nines overflow its integer."""

MAX_OBJECT_ID = 2**63 - 1


def object_id(value):
    """The integer primary key `value` spells, or None."""
    text = str(value)
    if text.isascii() and text.isdigit() and len(text) <= 19:
        number = int(text)
        if 0 < number <= MAX_OBJECT_ID:
            return number
    return None


def object_ids(values):
    """The valid keys among `values` (a list argument), invalid ones dropped."""
    return [number for number in map(object_id, values or ()) if number is not None]
