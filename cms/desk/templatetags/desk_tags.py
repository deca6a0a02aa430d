from django import template
from django.utils.translation import gettext as _

from .. import wita as wita_module

register = template.Library()


@register.filter
def wita(value, fmt="j F Y, H.i"):
    return wita_module.wita(value, fmt)


@register.filter
def menunggu(since):
    """'menunggu 3 jam'; 'baru masuk' for less than a minute."""
    waited = wita_module.waited(since)
    if not waited or waited.startswith("0"):
        return _("baru masuk")
    return _("menunggu %(waktu)s") % {"waktu": waited}


@register.filter
def wita_iso(value):
    value = wita_module.in_wita(value)
    return value.isoformat() if value else ""
