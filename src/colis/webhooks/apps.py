from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "colis.webhooks"
    label = "webhooks"
