from django.urls import path

from cairn.children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list_view, name="list"),
    path("new/", views.child_create_view, name="create"),
    path("<int:child_id>/", views.child_detail_view, name="detail"),
    path("<int:child_id>/edit/", views.child_edit_view, name="edit"),
    path("<int:child_id>/notes/new/", views.note_create_view, name="note_create"),
    path("<int:child_id>/views/new/", views.voice_create_view, name="voice_create"),
    path(
        "<int:child_id>/involvements/new/", views.involvement_create_view, name="involvement_create"
    ),
    path(
        "<int:child_id>/involvements/<int:involvement_id>/end/",
        views.involvement_end_view,
        name="involvement_end",
    ),
    path("<int:child_id>/placements/new/", views.placement_create_view, name="placement_create"),
    path("<int:child_id>/identifiers/new/", views.identifier_create_view, name="identifier_create"),
    path("<int:child_id>/aliases/new/", views.alias_create_view, name="alias_create"),
    path("<int:child_id>/access-log/", views.access_log_view, name="access_log"),
    path("<int:child_id>/break-glass/", views.break_glass_view, name="break_glass"),
]
