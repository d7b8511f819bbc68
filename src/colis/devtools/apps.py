from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "colis.devtools"
    label = "devtools"
