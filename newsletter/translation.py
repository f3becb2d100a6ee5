"""A newsletter issue's own text in both languages (see mentoring/translation.py): each
recipient's copy is in their language where staff wrote it, else in English."""

from modeltranslation.translator import TranslationOptions, register

from .models import NewsletterIssue


@register(NewsletterIssue)
class NewsletterIssueTranslation(TranslationOptions):
    fields = ("subject", "news", "news_html", "own_discussion_question")
