from django import template

from cms.home.models import SiteSettings

register = template.Library()


@register.inclusion_tag("home/includes/logo.html", takes_context=True)
def sikanda_logo(context, css_class=""):
    """The regency's logo from the site settings, or SIKANDA's own."""
    request = context.get("request")
    logo = None
    if request is not None:
        logo = SiteSettings.for_request(request).logo
    return {"logo": logo, "css_class": css_class}
