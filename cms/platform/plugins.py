"""The SIKANDA plugin API: everything a plugin may import from the core.

A plugin is a Django app whose AppConfig subclasses `PluginConfig` and
declares its metadata and its contributions:

    class HelloConfig(PluginConfig):
        name = "sikanda_hello"
        verbose_name = "Halo"

        class SikandaPluginMeta:
            name = "Halo"
            version = "1.0.0"
            author = "Kesbangpol Balangan"
            description = "Contoh plugin."
            compatibility = ">=0.1,<1"          # core versions (PEP 440 specifier)

        graphql_query = "sikanda_hello.schema.Query"        # optional
        graphql_mutation = "sikanda_hello.schema.Mutation"  # optional
        urls = "sikanda_hello.urls"            # mounted at /plugin/<label>/
        notification_channels = ["sikanda_hello.channels.Echo"]
        report_exporters = ["sikanda_hello.exporters.Csv"]

Extension points, each effective only while the plugin is enabled:
- domain events (`cms.reports.events`): connect a receiver with
  `@report_verified.connect`; it runs after the transaction commits, and a
  receiver that raises is logged and never fails the report. A receiver
  that only records outbox rows (`cms.platform.outbox`) connects with
  `in_transaction=True` instead and commits or rolls back with the change;
- GraphQL queries, mutations and types (`graphql_query`, `graphql_mutation`);
  while the plugin is disabled its fields stay in the schema (clients keep
  a stable contract) and answer with the error code PLUGIN_DISABLED;
- URLs (`urls`): answered with 404 while disabled;
- Wagtail admin: `PluginMenuItem` for menu items (Wagtail builds its menu
  once per process, so hiding must happen in `is_shown`, as this class does),
  `@only_when_enabled` around any other hook function (dashboard panels,
  `construct_*` hooks), and `gate_urlpatterns(label, urls)` around the URLs
  returned from `register_admin_urls` (404 while disabled);
- notification channels (`NotificationChannel`) and report exporters
  (`ReportExporter`), looked up with `notification_channels()` and
  `report_exporters()`.

The core never imports a plugin; it asks this module.
"""

import logging
from functools import wraps

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version
from wagtail.admin.menu import MenuItem

import cms

logger = logging.getLogger("sikanda.plugins")
CORE_VERSION = cms.__version__


class PluginIncompatible(ImproperlyConfigured):
    pass


class PluginConfig(AppConfig):
    """Base class of every plugin's app config."""

    # Django picks the one AppConfig subclass in a plugin's apps.py; the base,
    # imported there, must not count as a candidate, and subclasses must.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    SikandaPluginMeta = None
    graphql_query = None
    graphql_mutation = None
    urls = None
    notification_channels = ()
    report_exporters = ()

    @property
    def meta(self):
        meta = self.SikandaPluginMeta
        if meta is None:
            raise ImproperlyConfigured(f"Plugin {self.name} has no SikandaPluginMeta.")
        return meta

    def ready(self):
        super().ready()
        check_compatibility(self)

    @property
    def enabled(self):
        return self.label in enabled_labels()

    def configuration_problems(self):
        """Why the plugin cannot work with the settings it has, as sentences
        an administrator can act on; empty when it can. Asked before the
        plugin is switched on (it stays off while any remain) and shown on
        the plugin screen while it is on."""
        return []


def check_compatibility(plugin):
    meta = plugin.meta
    try:
        supported = SpecifierSet(meta.compatibility)
    except (AttributeError, InvalidSpecifier) as exc:
        raise PluginIncompatible(
            f"Plugin '{meta.name}' ({plugin.name}) does not state valid core compatibility: {exc}"
        ) from exc
    if Version(CORE_VERSION) not in supported:
        raise PluginIncompatible(
            f"Plugin '{meta.name}' {meta.version} ({plugin.name}) requires SIKANDA "
            f"{meta.compatibility}, but this is SIKANDA {CORE_VERSION}. "
            f"Upgrade or remove the plugin."
        )


def installed_plugins():
    return [config for config in apps.get_app_configs() if isinstance(config, PluginConfig)]


def get_plugin(label):
    config = apps.get_app_config(label)
    return config if isinstance(config, PluginConfig) else None


def enabled_labels():
    from .models import PluginState

    return set(PluginState.objects.filter(enabled=True).values_list("label", flat=True))


def is_enabled(label):
    from .models import PluginState

    return PluginState.objects.filter(label=label, enabled=True).exists()


def set_enabled(label, enabled, user=None):
    from wagtail.log_actions import log

    from .models import PluginState

    if get_plugin(label) is None:
        raise LookupError(f"No installed plugin with label {label!r}.")
    with transaction.atomic():
        state, _created = PluginState.objects.update_or_create(
            label=label, defaults={"enabled": enabled, "changed_by": user}
        )
        log(
            instance=state,
            action="sikanda.plugin.enable" if enabled else "sikanda.plugin.disable",
            user=user,
        )
    return state


def owning_plugin(obj):
    """The PluginConfig whose package defines `obj` (a function or class), or None."""
    module = getattr(obj, "__module__", None) or ""
    config = apps.get_containing_app_config(module)
    return config if isinstance(config, PluginConfig) else None


# -- domain events ---------------------------------------------------------------


class DomainEvent:
    """A named event of the core that plugins (and the core) can receive.

    `send_on_commit` delivers once the current transaction commits, so a
    receiver never sees data that is later rolled back. Receivers defined in
    a plugin run only while that plugin is enabled. A receiver that raises is
    logged; the others still run and the sender never sees the error."""

    def __init__(self, name, description=""):
        self.name = name
        self.description = description
        self._receivers = []
        self._transactional = []

    def __repr__(self):
        return f"<DomainEvent {self.name}>"

    def connect(self, receiver=None, *, in_transaction=False):
        """Register a receiver (usable as a decorator).

        `in_transaction=True` is for outbox writers (the notification outbox,
        the webhook deliveries): such a receiver runs inside the transaction
        of the change, so what it writes commits or rolls back with it, and
        an exception it raises rolls the change back. It must only write
        rows, never call out; the outbox engine (`cms.platform.outbox`) sends
        them after the commit. A plugin's receiver, like its others, runs
        only while the plugin is enabled."""
        if receiver is None:
            return lambda func: self.connect(func, in_transaction=in_transaction)
        receivers = self._transactional if in_transaction else self._receivers
        if receiver not in receivers:
            receivers.append(receiver)
        return receiver

    def disconnect(self, receiver):
        for receivers in (self._receivers, self._transactional):
            if receiver in receivers:
                receivers.remove(receiver)

    @staticmethod
    def _active(receivers):
        """The receivers of the core and of enabled plugins, in order."""
        enabled = None
        for receiver in list(receivers):
            plugin = owning_plugin(receiver)
            if plugin is not None:
                if enabled is None:
                    enabled = enabled_labels()
                if plugin.label not in enabled:
                    continue
            yield receiver

    def send_in_transaction(self, **payload):
        """Call the in-transaction receivers now, inside the caller's
        transaction; an error propagates so the change rolls back whole."""
        for receiver in self._active(self._transactional):
            receiver(event=self, **payload)

    def _call(self, payload):
        """Call each receiver of the core and of enabled plugins; yield
        (receiver, what it returned) for those that did not raise."""
        for receiver in self._active(self._receivers):
            try:
                yield receiver, receiver(event=self, **payload)
            except Exception:
                logger.exception(
                    "Receiver %s.%s of event %s failed",
                    receiver.__module__,
                    getattr(receiver, "__qualname__", receiver),
                    self.name,
                )

    def send(self, **payload):
        """Deliver now; returns the receivers that ran without error."""
        return [receiver for receiver, _result in self._call(payload)]

    def collect(self, **payload):
        """Call the receivers now and return everything they returned."""
        return [item for _receiver, result in self._call(payload) for item in result or ()]

    def send_on_commit(self, **payload):
        transaction.on_commit(lambda: self.send(**payload), robust=True)


# -- GraphQL --------------------------------------------------------------------


def graphql_contributions(include=None):
    """(queries, mutations, owners): ObjectType classes contributed by
    installed plugins, and which plugin label owns each root field."""
    from graphene.utils.str_converters import to_camel_case

    queries, mutations, owners = [], [], {}
    for plugin in installed_plugins():
        if include is not None and not include(plugin):
            continue
        for dotted, target in (
            (plugin.graphql_query, queries),
            (plugin.graphql_mutation, mutations),
        ):
            if not dotted:
                continue
            contribution = import_string(dotted)
            target.append(contribution)
            for field_name in contribution._meta.fields:
                owners[to_camel_case(field_name)] = plugin.label
    return queries, mutations, owners


# -- URLs -----------------------------------------------------------------------


def gate_urlpatterns(label, patterns):
    """Make `patterns` answer 404 while plugin `label` is disabled; for the
    admin URLs a plugin returns from Wagtail's `register_admin_urls` hook."""
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            gate_urlpatterns(label, pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = _gated_view(pattern.callback, label)
    return patterns


def plugin_urlpatterns():
    """`plugin/<label>/…` for every installed plugin with URLs; answered with
    404 while the plugin is disabled."""
    from django.urls import include, path

    patterns = []
    for plugin in installed_plugins():
        if plugin.urls:
            resolver = path(f"plugin/{plugin.label}/", include((plugin.urls, plugin.label)))
            patterns.extend(gate_urlpatterns(plugin.label, [resolver]))
    return patterns


def _gated_view(view, label):
    from django.http import Http404

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not is_enabled(label):
            raise Http404
        return view(request, *args, **kwargs)

    return gated


# -- Wagtail admin -----------------------------------------------------------------


class PluginMenuItem(MenuItem):
    """A Wagtail admin menu item shown only while its plugin is enabled."""

    def __init__(self, plugin_label, *args, **kwargs):
        self.plugin_label = plugin_label
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return is_enabled(self.plugin_label) and super().is_shown(request)


def only_when_enabled(plugin_label):
    """Decorate a Wagtail hook function so it does nothing while the plugin
    is disabled (dashboard panels, construct_* hooks)."""

    def decorator(hook):
        @wraps(hook)
        def wrapped(*args, **kwargs):
            if is_enabled(plugin_label):
                return hook(*args, **kwargs)
            return None

        return wrapped

    return decorator


# -- notification channels and report exporters ------------------------------------


class DeliveryFailed(Exception):
    """Raised by a channel when a delivery did not go out. `retry=False` for
    a refusal that will not change (e.g. HTTP 400); `retry_after` in seconds
    when the remote service said when to come back (HTTP 429)."""

    def __init__(self, message, *, retry=True, retry_after=None):
        super().__init__(message)
        self.retry = retry
        self.retry_after = retry_after


class NotificationChannel:
    """A way to reach people (push, SMS, e-mail…).

    `send(delivery)` gets one delivery of the notification outbox, with
    `idempotency_key` (a UUID that stays the same across retries — pass it on
    so a retry is never a second message), `external_ids` (recipients' user
    ids as strings), `headings` and `contents` ({"id": …, "en": …}) and `data`
    (e.g. {"laporan_id": …, "event": …}). Return a provider reference (or
    None) on success; raise DeliveryFailed otherwise. Never log secrets."""

    identifier = None
    verbose_name = None
    # Most recipients one provider request may name (None: no limit). The
    # outbox writes one delivery per batch, so each batch is retried and made
    # idempotent on its own.
    max_recipients = None

    def recipients(self, users, *, event, push):
        """Which of `users` (the recipients the rules chose for one message
        of `event`, an event name) this channel reaches. By default all of
        them when the rules ask for a push (`push=True`), none for messages
        they keep in the inbox only. A channel people opt into (e-mail)
        answers with those who chose it, whatever `push` says."""
        return list(users) if push else []

    def send(self, delivery):
        raise NotImplementedError


class ReportExporter:
    """Turns reports into a file (recaps, exchange formats)."""

    identifier = None
    verbose_name = None
    content_type = "application/octet-stream"
    file_extension = "bin"

    def export(self, reports):
        raise NotImplementedError


def _contributed(attribute):
    enabled = enabled_labels()
    found = []
    for plugin in installed_plugins():
        if plugin.label in enabled:
            found.extend(import_string(dotted)() for dotted in getattr(plugin, attribute))
    return found


def notification_channels():
    """Instances of the channels contributed by enabled plugins."""
    return _contributed("notification_channels")


def report_exporters():
    """Instances of the exporters contributed by enabled plugins."""
    return _contributed("report_exporters")
