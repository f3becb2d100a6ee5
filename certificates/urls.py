from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("matches/<int:match_id>/certificate.pdf", views.download, name="download"),
    path("certificates/<str:code>/", views.verify, name="verify"),
]
