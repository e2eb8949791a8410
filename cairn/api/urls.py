from django.urls import path

from cairn.api.api import api, with_access_rules
from cairn.api.docs import swagger_asset

_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("docs/assets/<str:name>", swagger_asset, name="api-swagger-asset"),
    path("", (with_access_rules(_patterns), _app_name, _namespace)),
]
