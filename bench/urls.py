from django.http import HttpResponse
from django.urls import path

from mentoring.models import Program
from portal.urls import urlpatterns as site_urlpatterns


def ceiling(request):
    """The fastest a Django page can be on this server: one query, a tiny response."""
    return HttpResponse(f"{Program.objects.count()} programs", content_type="text/plain")


urlpatterns = [path("bench/ceiling", ceiling), *site_urlpatterns]
