from django import template

from ..headers import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce():
    """The request's CSP nonce, for `<script nonce="{% csp_nonce %}">`; works in
    form widget templates too, which have no request in their context."""
    return current_nonce()
