from django.urls import path

from . import editing, views

app_name = "goals"

urlpatterns = [
    path("goal-sheets/", views.my_sheets, name="mine"),
    path("matches/<int:match_id>/goals/", views.sheet_detail, name="sheet"),
    path("matches/<int:match_id>/goals/edit/", editing.edit, name="edit"),
    path("matches/<int:match_id>/goals/edit/add/", editing.add_goal, name="add_goal"),
    path("matches/<int:match_id>/goals/edit/save/", editing.save_draft, name="save_draft"),
    path(
        "matches/<int:match_id>/goals/edit/save-and-submit/",
        editing.save_and_submit,
        name="save_and_submit",
    ),
    path("matches/<int:match_id>/goals/submit/", views.submit, name="submit"),
    path("matches/<int:match_id>/goals/take-back/", views.withdraw, name="withdraw"),
    path("matches/<int:match_id>/goals/review/", views.review, name="review"),
    path("matches/<int:match_id>/goals/reopen/", views.reopen, name="reopen"),
    path("matches/<int:match_id>/goals/revisions/", views.revisions, name="revisions"),
    path(
        "matches/<int:match_id>/goals/revisions/<int:number>/",
        views.revision_detail,
        name="revision",
    ),
    path("matches/<int:match_id>/goals/print/", views.print_sheet, name="print"),
    path("matches/<int:match_id>/goals/outcomes/", views.outcomes, name="outcomes"),
    path(
        "matches/<int:match_id>/goals/<int:goal_id>/check-in/",
        views.check_in,
        name="check_in",
    ),
]
