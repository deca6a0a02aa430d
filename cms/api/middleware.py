from django.utils.translation import gettext as _
from graphql import GraphQLError

from cms.platform.api.errors import TransportCode
from cms.platform.plugins import get_plugin, is_enabled


class PluginGateMiddleware:
    """Root fields contributed by a disabled plugin answer PLUGIN_DISABLED.
    The schema itself stays the same, so clients keep a stable contract."""

    def resolve(self, next, root, info, **args):
        if root is None and info.parent_type.name in ("Query", "Mutation"):
            from .schema import PLUGIN_FIELDS

            label = PLUGIN_FIELDS.get(info.field_name)
            if label is not None and not is_enabled(label):
                plugin = get_plugin(label)
                raise GraphQLError(
                    _("Plugin '%(name)s' sedang nonaktif.") % {"name": plugin.meta.name},
                    extensions={"code": TransportCode.PLUGIN_DISABLED.value},
                )
        return next(root, info, **args)
