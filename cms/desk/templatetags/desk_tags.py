from django import template

from .. import wita as wita_module

register = template.Library()


@register.filter
def wita(value, fmt="j F Y, H.i"):
    return wita_module.wita(value, fmt)


@register.filter
def menunggu(since):
    return wita_module.waited(since)


@register.filter
def wita_iso(value):
    value = wita_module.in_wita(value)
    return value.isoformat() if value else ""
