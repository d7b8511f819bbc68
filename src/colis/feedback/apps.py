from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "colis.feedback"
    label = "feedback"
