from django.urls import path

from colis.web import shell_views, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders/", shell_views.orders, name="orders"),
    path("parcels/", shell_views.parcels, name="parcels"),
    path("notifications/", shell_views.notifications, name="notifications"),
    path("account/", shell_views.account, name="account"),
    path("account/language/", shell_views.account_language, name="account_language"),
    path("account/api-keys/", shell_views.apikey_new, name="apikey_create"),
    path("account/api-keys/<int:key_id>/revoke/", shell_views.apikey_delete, name="apikey_revoke"),
    path("operator/outbox/", shell_views.outbox, name="outbox"),
]
