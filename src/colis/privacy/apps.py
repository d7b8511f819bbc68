from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "colis.privacy"
    label = "privacy"
    verbose_name = "Privacy (PII retention, tax archive, audit trail)"
