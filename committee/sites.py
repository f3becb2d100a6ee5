"""The admin site the committee works in.

Stock Django lists the apps alphabetically and shows beat's schedules, sites and social
accounts beside the program. Here the index opens with the year's work (worklist.py) and
the sections follow the order the year runs, in the program's words; technical tables
are left to superusers.
"""

from __future__ import annotations

import re
from functools import wraps

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications import rules as application_rules
from mentoring.templatetags.lean_admin import Navigation

from .worklist import worklists

# (section name, [(app label, model name or "*" for the rest of the app), ...]) in the
# order the year runs.
SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (_("Program and cycles"), [("mentoring", "program"), ("mentoring", "cycle"),
                            ("mentoring", "milestone"), ("mentoring", "event")]),
    (_("Applications and reviews"), [("applications", "*")]),
    (_("Matching"), [("matches", "*")]),
    (_("Goal sheets"), [("goals", "*")]),
    (_("Activities"), [("activities", "*")]),
    (_("Newsletter and email"), [("newsletter", "*")]),
    (_("Evaluation"), [("evaluation", "*")]),
    (_("The year's end"), [("certificates", "*")]),
    (_("People"), [("mentoring", "user"), ("auth", "*"), ("account", "*"), ("mfa", "*")]),
]  # fmt: skip
# Shown to superusers and administrators only: the machinery under the program.
TECHNICAL = {
    ("django_celery_beat", "*"),
    ("sites", "*"),
    ("socialaccount", "*"),
    ("mentoring", "delivery"),  # every email's raw record; reports show what staff need
}


# The date hierarchy's keys (``starts_on__year=2027``): Django turns their values into a
# date and reads a number too large for one as a crash (OverflowError), not a bad value.
_DATE_PART = re.compile(r".+__(year|month|day)")


def _senseless(request: HttpRequest) -> bool:
    """A query string no admin link makes and the admin itself would fail on: a NUL byte
    (PostgreSQL cannot compare text with it) or a date part that is not a small number."""
    for key, values in request.GET.lists():
        for value in values:
            if "\x00" in key or "\x00" in value:
                return True
            if _DATE_PART.fullmatch(key) and not (
                value.isascii() and value.isdigit() and len(value) <= 4
            ):
                return True
    return False


def _place(app_label: str, model: str, places: set[tuple[str, str]]) -> bool:
    return (app_label, model) in places or (app_label, "*") in places


def _sees_machinery(user) -> bool:
    """Superusers, and the administrators who look after people (mentoring/roles.py)."""
    return user.is_superuser or user.has_perm("mentoring.change_user")


# The navigation laid out (CommitteeAdminSite.get_app_list), by the answers to the
# permission questions it asks and the language; a handful of roles make a handful of
# keys, and the bound only guards against a person-by-person spread.
_NAVIGATION: dict[tuple, Navigation] = {}
_NAVIGATION_KEPT = 256

# The admin's URLs by name (see CommitteeAdminSite._url): fixed once the URLconf is
# loaded, so kept for the process; by script prefix, URLconf and language, then by name.
_URLS: dict[tuple, dict[tuple, str | None]] = {}


class CommitteeAutocomplete(AutocompleteJsonView):
    """The admin's autocomplete, naming each row as its admin names it to the viewer
    (``autocomplete_text``): stock Django uses str(), an applicant's name even where a
    blind review hides it."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        text = getattr(self.model_admin, "autocomplete_text", None)
        if text is not None:
            result["text"] = str(text(obj))
        return result


class CommitteeAdminSite(admin.AdminSite):
    site_header = _("Mentoring program administration")
    site_title = _("Mentoring program")
    index_title = _("The year's work")
    index_template = "admin/committee_index.html"

    def autocomplete_view(self, request: HttpRequest):
        return CommitteeAutocomplete.as_view(admin_site=self)(request)

    def admin_view(self, view, cacheable=False):
        """Every admin page, with a query string the admin would fail on (see
        :func:`_senseless`) answered as Django answers a filter value that makes no sense:
        the unfiltered page ("?e=1"), never a 500."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def checked(request, *args, **kwargs):
            if _senseless(request):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            return inner(request, *args, **kwargs)

        return checked

    def index(self, request: HttpRequest, extra_context=None):
        user = request.user
        reviewed = None
        if application_rules.reviews_assigned_cycles_only(user):
            # A reviewer sees the applications of the cycles they review, no others.
            reviewed = set(user.reviewed_cycles.values_list("pk", flat=True))

        def shown(worklist, task) -> bool:
            if not user.has_perm(task.permission):
                return False
            about_applications = task.permission.startswith("applications.")
            return reviewed is None or not about_applications or worklist.cycle.pk in reviewed

        tasks = [
            (worklist, [task for task in worklist.tasks if shown(worklist, task)])
            for worklist in worklists()
        ]
        extra_context = {**(extra_context or {}), "worklists": [w for w in tasks if w[1]]}
        return super().index(request, extra_context)

    def _build_app_dict(self, request: HttpRequest, label: str | None = None):
        """Django's own, with each model's URLs reversed once per process (per script
        prefix, URLconf and language), not on every page: the navigation lists some
        thirty models, and their sixty-odd reversals cost as much as a whole simple page.
        Which models a person sees is still asked of their permissions every time."""
        app_dict = {}
        urls = self._urls()
        for model, model_admin in self._registry.items():
            app_label = model._meta.app_label
            if label and app_label != label:
                continue
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            name = f"{app_label}_{model._meta.model_name}"
            model_dict = {
                "model": model,
                "name": capfirst(model._meta.verbose_name_plural),
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = self._url(urls, f"admin:{name}_changelist")
            if perms.get("add"):
                model_dict["add_url"] = self._url(urls, f"admin:{name}_add")
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": apps.get_app_config(app_label).verbose_name,
                    "app_label": app_label,
                    "app_url": self._url(urls, "admin:app_list", app_label),
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict

    def _urls(self) -> dict[tuple, str | None]:
        """The URLs reversed for the script prefix, URLconf and language in use: each of
        the three found once a page, not once for each of the navigation's sixty-odd URLs
        (every one a look-up in the request's own state)."""
        return _URLS.setdefault((get_script_prefix(), get_urlconf(), get_language()), {})

    def _url(self, urls: dict, name: str, app_label: str | None = None) -> str | None:
        key = (name, app_label)
        try:
            return urls[key]
        except KeyError:
            pass
        kwargs = {"app_label": app_label} if app_label else None
        try:
            url = reverse(name, kwargs=kwargs, current_app=self.name)
        except NoReverseMatch:
            url = None
        urls[key] = url
        return url

    def get_app_list(self, request: HttpRequest, app_label: str | None = None):
        if app_label is not None:  # one app's own page: as Django lays it out
            return super().get_app_list(request, app_label)
        # The navigation's layout follows from which models the person may open and what
        # they may do with each (asked of their permissions on every page, as before),
        # from the code and from the language: everyone with the same answers gets the
        # same one, laid out once per process. It holds no row of the database, so
        # nothing written there can make it stale.
        key = (
            self._answers(request),
            _sees_machinery(request.user),
            get_script_prefix(),
            get_urlconf(),
            get_language(),
        )
        try:
            return _NAVIGATION[key]
        except KeyError:
            pass
        if len(_NAVIGATION) >= _NAVIGATION_KEPT:
            _NAVIGATION.clear()
        navigation = _NAVIGATION[key] = Navigation(self._sections(request))
        return navigation

    def _answers(self, request: HttpRequest) -> tuple:
        """What :meth:`_build_app_dict` asks of each model's admin, the answers only."""
        answers = []
        for model_admin in self._registry.values():
            if not model_admin.has_module_permission(request):
                answers.append(None)
            else:
                answers.append(tuple(model_admin.get_model_perms(request).items()))
        return tuple(answers)

    def _sections(self, request: HttpRequest) -> list[dict]:
        apps = self._build_app_dict(request)
        models = [
            (app_label, model["object_name"].lower(), app, model)
            for app_label, app in apps.items()
            for model in app["models"]
        ]
        sections = []
        placed = set()
        for name, places in SECTIONS:
            # Named models first, in the order given, then the rest of a "*" app.
            chosen = [m for m in models if (m[0], m[1]) in places]
            chosen += [m for m in models if (m[0], "*") in places and m not in chosen]
            chosen = [m for m in chosen if id(m[3]) not in placed]
            if not chosen:
                continue
            placed.update(id(m[3]) for m in chosen)
            first_app = chosen[0][2]
            sections.append(
                {
                    **first_app,
                    "name": name,
                    "models": [m[3] for m in chosen],
                }
            )
        rest = [
            m
            for m in models
            if id(m[3]) not in placed
            and (_sees_machinery(request.user) or not _place(m[0], m[1], TECHNICAL))
        ]
        for app_label_, _model_name, app, model in rest:
            if sections and sections[-1].get("_rest") == app_label_:
                sections[-1]["models"].append(model)
            else:
                sections.append({**app, "models": [model], "_rest": app_label_})
        return sections
