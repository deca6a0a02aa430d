"""Wagtail's admin still writes a few inline `<script>` tags. Each one that
SIKANDA's admin renders carries the request's CSP nonce:

- templates, overridden in cms/security/templates/ (the panels extend
  Wagtail's own and replace only their script block; the one-line date/time
  widgets are copied);
- chooser widgets, whose `render` builds `<script>` in Python: replaced
  below by the same code with the nonce.

tests/security/test_headers.py scans Wagtail for inline scripts and fails
when an upgrade adds one that is not covered here."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser

from .headers import current_nonce


def _render_with_nonce(self, name, value, attrs=None, renderer=None):
    # As BaseChooser.render (Wagtail 8.0), plus the nonce.
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    js = self.render_js_init(id_, name, value_data)
    script = format_html('<script nonce="{}">', current_nonce())
    return mark_safe(f"{widget_html}{script}{js}</script>")  # noqa: S308 - as Wagtail's own


def nonce_chooser_scripts():
    BaseChooser.render = _render_with_nonce
