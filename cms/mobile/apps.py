from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "cms.mobile"
    verbose_name = "SIKANDA Mobile"
