from django.urls import path

from cairn.risk import views, views_register

app_name = "risk"
urlpatterns = [
    path("children/<int:child_id>/screening/", views.screening_view, name="screening"),
    path(
        "children/<int:child_id>/interventions/new/",
        views.intervention_start_view,
        name="intervention_start",
    ),
    path(
        "interventions/<int:intervention_id>/scores/",
        views.outcome_scores_view,
        name="outcome_scores",
    ),
    path("register/", views_register.register_view, name="register"),
    path("register/export/", views_register.register_export_view, name="register_export"),
    path("reviews/", views_register.overdue_view, name="overdue"),
]
