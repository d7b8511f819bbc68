from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "colis.common"
    label = "common"
