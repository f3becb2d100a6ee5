from django.urls import path

from . import views

app_name = "matches"

urlpatterns = [
    path("matches/", views.my_matches, name="mine"),
    path("matches/<int:pk>/", views.match_detail, name="detail"),
    path("matches/<int:pk>/meetings/new/", views.meeting_record, name="meeting_record"),
    path("matches/<int:pk>/help/", views.help_request, name="help"),
    path("preferences/<int:application_id>/", views.preferences, name="preferences"),
]
