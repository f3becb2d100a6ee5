from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "mentoring.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
