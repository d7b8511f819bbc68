from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "colis.integrations"
    label = "integrations"
