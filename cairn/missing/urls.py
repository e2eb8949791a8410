from django.urls import path

from cairn.missing import views

app_name = "missing"
urlpatterns = [
    path("", views.board_view, name="board"),
    path("interviews/", views.due_view, name="due"),
    path("alerts/", views.alerts_view, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge_view, name="acknowledge"),
    path("placements/", views.placements_view, name="placements"),
    path("children/<int:child_id>/", views.child_missing_view, name="child"),
    path("children/<int:child_id>/new/", views.episode_new_view, name="episode_new"),
    path("episodes/<int:episode_id>/", views.episode_view, name="episode"),
    path("episodes/<int:episode_id>/return/", views.return_view, name="return"),
    path("episodes/<int:episode_id>/interview/", views.interview_view, name="interview"),
]
