"""The program core's pages (home, programs, timelines, calendar feeds, a person's data),
the accounts and the admin. The site's URLconf, ``portal/urls.py``, includes them."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from . import views

# Staff sign in through the site's own login, which has brute-force protection and
# email verification; the admin's bare login form is never shown.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The site's JavaScript strings in the page's language (a script file: the CSP
    # allows no inline script).
    path("jsi18n/", cache_page(3600)(JavaScriptCatalog.as_view()), name="javascript_catalog"),
    path("healthz", views.healthz, name="healthz"),
    path("timeline/", views.timeline_index, name="timeline"),
    path("my/data/", views.my_data, name="my_data"),
    path("my/data/download/", views.my_data_download, name="my_data_download"),
    path("my/delete/", views.account_delete, name="my_account_delete"),
    path("account-deleted/", views.account_deleted, name="my_account_deleted"),
    path("programs/<slug:program_slug>/", views.program_detail, name="program_detail"),
    path(
        "programs/<slug:program_slug>/timeline/",
        views.program_timeline,
        name="program_timeline",
    ),
    path(
        "programs/<slug:program_slug>/calendar.ics",
        views.program_calendar_feed,
        name="program_calendar",
    ),
    path(
        "programs/<slug:program_slug>/cycles/<slug:cycle_slug>/",
        views.cycle_timeline,
        name="cycle_timeline",
    ),
    path(
        "programs/<slug:program_slug>/cycles/<slug:cycle_slug>/calendar.ics",
        views.cycle_calendar_feed,
        name="cycle_calendar",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
