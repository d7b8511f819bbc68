from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "colis.shipping"
    label = "shipping"
    verbose_name = "Shipping: carriers, methods, parcels, labels"
