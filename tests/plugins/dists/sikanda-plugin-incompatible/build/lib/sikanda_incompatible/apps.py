from cms.platform.plugins import PluginConfig


class IncompatibleConfig(PluginConfig):
    name = "sikanda_incompatible"

    class SikandaPluginMeta:
        name = "Plugin masa depan"
        version = "2.0.0"
        author = "Uji"
        description = "Membutuhkan SIKANDA 99."
        compatibility = ">=99"
