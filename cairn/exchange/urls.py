from django.urls import path

from cairn.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.import_view, name="import"),
    path("export/", views.export_view, name="export"),
]
