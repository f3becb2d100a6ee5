"""Every free-text field people type into has a length limit, in the models (so admin's
forms have it) and in the site's own forms; a longer text is refused beside its field with
its count. Generated from the model registry and the apps' form classes, so a new field
without a limit fails here. (The pages that took a megabyte are tested in each app: a
goal's "specific", an application's hopes, an activity's notes.)"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse

from tests.factories import UserFactory

OWN_APPS = [
    "mentoring", "applications", "matches", "goals", "activities", "newsletter",
    "evaluation", "certificates", "portal", "committee",
]  # fmt: skip

# Text nobody types: written by the site itself.
NOT_TYPED = {
    "mentoring.Delivery.body_text": "rendered from a template when the email is recorded",
    "mentoring.Delivery.body_html": "rendered from a template when the email is recorded",
    "mentoring.Delivery.last_error": "the mail server's answer",
    "newsletter.NewsletterIssue.news_html": "rendered from the news (which has a limit)",
}
# Form fields whose value is never stored or shown.
NOT_STORED = {"mentoring.forms.AccountDeleteForm.password": "checked against the hash, dropped"}


def text_fields():
    for app in OWN_APPS:
        if not apps.is_installed(app):
            continue  # committee is the admin's own configuration, with no models
        for model in apps.get_app_config(app).get_models():
            if model._meta.proxy:
                continue  # its fields are its concrete model's, checked there
            for field in model._meta.get_fields():
                if isinstance(field, (models.TextField, models.CharField)) and field.editable:
                    yield f"{model._meta.label}.{field.name}", field


def form_classes():
    seen = set()
    for app in OWN_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name in ("migrations", "management"):
                continue
            module = importlib.import_module(f"{app}.{info.name}")
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                    and value not in seen
                ):
                    seen.add(value)
                    yield f"{module.__name__}.{name}", value


def test_every_text_field_of_the_models_has_a_length_limit():
    unbounded = sorted(
        name for name, field in text_fields() if field.max_length is None and name not in NOT_TYPED
    )

    assert not unbounded, f"Give these a max_length (mentoring/limits.py): {unbounded}"


def test_every_text_field_of_the_site_s_forms_has_a_length_limit():
    unbounded = []
    for name, form in form_classes():
        for field_name, field in form.base_fields.items():
            label = f"{name}.{field_name}"
            if (
                isinstance(field, forms.CharField)
                and field.max_length is None
                and not isinstance(field.widget, forms.HiddenInput)
                and label not in NOT_STORED
            ):
                unbounded.append(label)

    assert not unbounded, f"Give these a max_length (mentoring/limits.py): {unbounded}"


@pytest.mark.django_db
def test_admin_refuses_a_megabyte_beside_the_field_with_its_count(client):
    from activities.models import Activity

    assert Activity in admin.site._registry
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:activities_activity_add"), {"summary_en": "x" * 1_000_000, "title_en": "T"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters (it has 1000000)." in body
    assert not Activity.objects.exists()
