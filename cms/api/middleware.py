from django.utils.translation import gettext as _
from graphql import GraphQLError, Undefined

from cms.platform.plugins import get_plugin, is_enabled

from .errors import TransportCode


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


class NullMeansDefaultMiddleware:
    """An explicit `null` for an argument that declares a default means that
    default (`page: null` is page 1, `deviceName: null` is ""). Generated
    clients send null for every optional variable they were not given, and a
    resolver written for the default must not see None instead."""

    def resolve(self, next, root, info, **args):
        field = info.parent_type.fields.get(info.field_name)  # None for __type & co.
        if field is not None and any(value is None for value in args.values()):
            for name, argument in field.args.items():
                key = argument.out_name or name
                default = argument.default_value
                if key in args and args[key] is None and default not in (Undefined, None):
                    args[key] = list(default) if isinstance(default, list) else default
        return next(root, info, **args)
