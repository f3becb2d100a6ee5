"""The activity catalog in both languages (see mentoring/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Category


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "summary", "steps", "discussion_question")
