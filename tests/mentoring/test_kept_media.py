"""A list's media drawn once a process draws exactly what Django draws."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from applications.models import Application
from goals.models import GoalSheet
from mentoring.admin_lists import KeptMedia, kept_media


def _media_of(model) -> forms.Media:
    model_admin = admin.site.get_model_admin(model)
    return model_admin.media + model_admin.action_form(auto_id=None).media


def test_kept_media_draws_as_django_does_whole_and_by_kind():
    media = _media_of(Application)
    kept = kept_media(media)
    assert str(kept) == str(media) != ""
    assert str(kept["js"]) == str(media["js"])
    assert str(kept["css"]) == str(media["css"])
    # Added to other media, it is media as any other.
    extra = forms.Media(js=["committee/extra.js"])
    assert str(kept + extra) == str(media + extra)


def test_the_same_files_are_drawn_once_and_other_files_apart():
    kept = kept_media(_media_of(Application))
    assert kept_media(_media_of(Application)) is kept
    other = kept_media(forms.Media(js=["committee/extra.js"]))
    assert other is not kept and isinstance(other, KeptMedia)
    assert "committee/extra.js" in str(other) and "committee/extra.js" not in str(kept)


def test_a_goal_sheets_list_page_carries_its_scripts(admin_client):
    response = admin_client.get("/admin/goals/goalsheet/")
    assert response.status_code == 200
    assert isinstance(response.context["media"], KeptMedia)
    assert str(_media_of(GoalSheet)["js"]) in response.content.decode()
