from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from colis.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("operator/admin/", admin.site.urls),
    path("", include("colis.web.urls")),
]

if settings.DEBUG:  # pragma: no cover
    pass
