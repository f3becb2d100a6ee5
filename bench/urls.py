from django.http import HttpResponse
from django.template import engines
from django.urls import path

from mentoring.models import Program
from portal.urls import urlpatterns as site_urlpatterns

EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


def ceiling(request):
    """The fastest a Django page can be on this server: one query, a tiny response."""
    return HttpResponse(f"{Program.objects.count()} programs", content_type="text/plain")


def empty_page(request):
    """The site's base layout with an empty content block: what every page costs before
    it shows anything (the navigation, the person, the layout)."""
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/ceiling", ceiling),
    path("bench/empty-page", empty_page),
    *site_urlpatterns,
]
