from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "colis.api"
    label = "api"
