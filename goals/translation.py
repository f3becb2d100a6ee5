"""The example goals in both languages (see mentoring/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ExampleGoal


@register(ExampleGoal)
class ExampleGoalTranslation(TranslationOptions):
    fields = ("title", "specific", "measurable", "achievable", "relevant")
