from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Cairn administration"
admin.site.site_title = "Cairn administration"

urlpatterns = [
    path("", include("cairn.core.urls")),
    path("accounts/", include("cairn.accounts.urls")),
    path("children/", include("cairn.children.urls")),
    path("risk/", include("cairn.risk.urls")),
    path("philomena/", include("cairn.missing.urls_philomena")),
    path("missing/", include("cairn.missing.urls")),
    path("panels/", include("cairn.panels.urls")),
    path("actions/", include("cairn.panels.urls_actions")),
    path("performance/", include("cairn.reporting.urls")),
    path("import/", include("cairn.exchange.urls")),
    path("api/", include("cairn.api.urls")),
    path("admin/", admin.site.urls),
]
