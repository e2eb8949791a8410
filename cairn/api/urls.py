from django.urls import path

from cairn.api.api import api, with_access_rules

_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("", (with_access_rules(_patterns), _app_name, _namespace)),
]
