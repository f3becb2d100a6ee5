"""The program core's content in both languages (django-modeltranslation): each field
named here gets a column per language (``name_en``, ``name_es``); reading ``name``
gives the active language's, else the English."""

from modeltranslation.translator import TranslationOptions, register

from .models import Event, Milestone, Program, ProgramObjective


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("name", "organization", "description", "field_of_work", "position_examples")


@register(ProgramObjective)
class ProgramObjectiveTranslation(TranslationOptions):
    fields = ("text",)


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "location")
