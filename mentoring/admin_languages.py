"""Admin pages for the program's content written in two languages.

django-modeltranslation's admin shows a translated field as one box per language
("choices [en]", "choices [es]"), but a model's ``clean()`` names the field plainly
("choices"). Django's form raises ValueError for an error on a field it does not have,
so staff saw a 500 where they should have seen the message. These classes put such an
error beside the box of the language staff are reading in (else English).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname, get_language


class TranslatedModelForm(forms.ModelForm):
    """A ModelForm whose model errors on a translated field land on a language's box."""

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            for name in list(errors.error_dict):
                if name == NON_FIELD_ERRORS or name in self.fields:
                    continue
                for language in (get_language(), DEFAULT_LANGUAGE):
                    localized = build_localized_fieldname(name, language)
                    if localized in self.fields:
                        errors.error_dict.setdefault(localized, []).extend(
                            errors.error_dict.pop(name)
                        )
                        break
        super()._update_errors(errors)


class TranslatedAdmin(TranslationAdmin):
    form = TranslatedModelForm


class TranslatedStackedInline(TranslationStackedInline):
    form = TranslatedModelForm


class TranslatedTabularInline(TranslationTabularInline):
    form = TranslatedModelForm
