from django.urls import path

from cairn.risk import views

app_name = "risk"
urlpatterns = [
    path("children/<int:child_id>/screening/", views.screening_view, name="screening"),
]
