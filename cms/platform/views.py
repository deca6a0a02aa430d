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
        {
            "config": plugin, "meta": plugin.meta, "enabled": plugin.label in enabled,
            "problems": plugin.configuration_problems() if plugin.label in enabled else [],
        }
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
    if enable and (problems := plugin.configuration_problems()):
        # Switched on without what it needs, a plugin fails at every event
        # (OneSignal without keys: every push an error); refuse instead.
        messages.error(
            request,
            _("Plugin '%(name)s' tidak diaktifkan: %(problems)s")
            % {"name": plugin.meta.name, "problems": " ".join(str(p) for p in problems)},
        )
        return redirect("sikanda_plugins:index")
    set_enabled(label, enable, user=request.user)
    messages.success(
        request,
        (_("Plugin '%(name)s' diaktifkan.") if enable else _("Plugin '%(name)s' dinonaktifkan."))
        % {"name": plugin.meta.name},
    )
    return redirect("sikanda_plugins:index")
