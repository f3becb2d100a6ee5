"""Surveys and their questions in both languages (see mentoring/translation.py). A
choice question's answers are kept as the English choice, whichever language the
person answered in, so the results add up across languages."""

from modeltranslation.translator import TranslationOptions, register

from .models import Question, Survey


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "introduction")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "choices", "low_label", "high_label")
