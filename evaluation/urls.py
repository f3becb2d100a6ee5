from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("surveys/", views.my_surveys, name="mine"),
    path("surveys/<str:token>/", views.answer, name="answer"),
    path("surveys/<str:token>/thanks/", views.thanks, name="thanks"),
]
