from cms.platform.plugins import PluginConfig


class SamplePluginConfig(PluginConfig):
    """A plugin that uses every extension point, for the platform's tests.
    Installed only by cms.settings.test."""

    name = "tests.plugins.sample"
    label = "sample_plugin"
    verbose_name = "Plugin contoh (uji)"

    class SikandaPluginMeta:
        name = "Plugin contoh"
        version = "0.0.1"
        author = "Tim SIKANDA"
        description = "Dipakai oleh uji platform plugin."
        compatibility = ">=0.1,<1"

    graphql_query = "tests.plugins.sample.schema.Query"
    graphql_mutation = "tests.plugins.sample.schema.Mutation"
    urls = "tests.plugins.sample.urls"
    notification_channels = ["tests.plugins.sample.extensions.RecordingChannel"]
    report_exporters = ["tests.plugins.sample.extensions.TitlesExporter"]

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401
