from cms.platform.plugins import PluginConfig


class HelloConfig(PluginConfig):
    name = "sikanda_hello"
    label = "sikanda_hello"
    verbose_name = "Halo SIKANDA"

    class SikandaPluginMeta:
        name = "Halo SIKANDA"
        version = "1.0.0"
        author = "Contoh"
        description = "Mencatat laporan yang diverifikasi dan menambah kueri helloSikanda."
        compatibility = ">=0.1,<1"

    graphql_query = "sikanda_hello.schema.Query"

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401  (connects the event receivers)
