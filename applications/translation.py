"""The interests applicants choose from, in both languages (see mentoring/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Interest


@register(Interest)
class InterestTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")
