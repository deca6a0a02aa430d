from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .plugins import enabled_labels, get_plugin, installed_plugins, set_enabled

PERMISSION = "platform.manage_plugins"


def _require(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def index(request):
    _require(request)
    enabled = enabled_labels()
    plugins = [
        {"config": plugin, "meta": plugin.meta, "enabled": plugin.label in enabled}
        for plugin in sorted(installed_plugins(), key=lambda p: str(p.meta.name))
    ]
    return TemplateResponse(
        request,
        "platform/plugins_index.html",
        {
            "plugins": plugins,
            "page_title": _("Plugin"),
            "header_icon": "cogs",
        },
    )


@require_POST
def toggle(request, label):
    _require(request)
    plugin = get_plugin(label)
    if plugin is None:
        raise PermissionDenied
    enable = request.POST.get("enabled") == "1"
    set_enabled(label, enable, user=request.user)
    messages.success(
        request,
        (_("Plugin '%(name)s' diaktifkan.") if enable else _("Plugin '%(name)s' dinonaktifkan."))
        % {"name": plugin.meta.name},
    )
    return redirect("sikanda_plugins:index")
