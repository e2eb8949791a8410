from django.urls import path

from cairn.reporting import views

app_name = "reporting"
urlpatterns = [path("", views.performance_view, name="performance")]
