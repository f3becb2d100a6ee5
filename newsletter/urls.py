"""The monthly newsletter and reminders."""

from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("newsletters/", views.archive, name="archive"),
    path("newsletters/<int:pk>/", views.issue_detail, name="issue"),
    path("my/email/", views.preferences, name="preferences"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/resubscribe/<str:token>/", views.resubscribe, name="resubscribe"),
]
