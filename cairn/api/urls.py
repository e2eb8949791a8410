from django.urls import path

from cairn.api.api import api

urlpatterns = [path("", api.urls)]
