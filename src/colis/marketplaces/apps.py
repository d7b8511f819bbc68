from django.apps import AppConfig


class MarketplacesConfig(AppConfig):
    name = "colis.marketplaces"
    label = "marketplaces"
    verbose_name = "Marketplace connectors"
