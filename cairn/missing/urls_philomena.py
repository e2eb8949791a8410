from django.urls import path

from cairn.missing import views_philomena as views

app_name = "philomena"
urlpatterns = [
    path("reviews-due/", views.reviews_due_view, name="reviews_due"),
    path("<int:child_id>/", views.profile_view, name="profile"),
    path("<int:child_id>/new/", views.profile_create_view, name="create"),
    path("<int:child_id>/edit/", views.profile_edit_view, name="edit"),
    path("<int:child_id>/photos/new/", views.photo_add_view, name="photo_add"),
    path("<int:child_id>/police-pack/", views.police_pack_view, name="police_pack"),
    path("photos/<int:photo_id>/", views.photo_view, name="photo"),
]
