"""The site's URLs: the roof of the project, which includes every app's."""

from django.urls import include, path

from mentoring.views import too_many_requests

from . import views

# allauth answers a request over its rate limits with this view (it looks it up here).
handler429 = too_many_requests

urlpatterns = [
    path("", include("mentoring.urls")),
    path("my/", views.my_mentoring, name="my_mentoring"),
    path("", include("applications.urls")),
    path("", include("matches.urls")),
    path("", include("goals.urls")),
    path("", include("activities.urls")),
    path("", include("newsletter.urls")),
    path("", include("evaluation.urls")),
    path("", include("certificates.urls")),
]
