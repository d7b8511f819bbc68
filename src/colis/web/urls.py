from django.urls import path

from colis.web import (
    integration_views,
    lifecycle_views,
    onboarding_views,
    order_views,
    shell_views,
    shipping_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders/", order_views.orders, name="orders"),
    path("orders/<int:order_id>/", order_views.order_detail, name="order_detail"),
    path("orders/<int:order_id>/weight/", order_views.order_weight, name="order_weight"),
    path("orders/<int:order_id>/label/", shipping_views.label_create, name="order_label"),
    path("orders/labels/", shipping_views.labels_bulk, name="labels_bulk"),
    path("labels/batches/<int:batch_id>/", shipping_views.label_batch, name="label_batch"),
    path("parcels/", shipping_views.parcels, name="parcels"),
    path("parcels/<int:parcel_id>/", shipping_views.parcel_detail, name="parcel_detail"),
    path(
        "parcels/<int:parcel_id>/label.<str:fmt>",
        shipping_views.parcel_label,
        name="parcel_label",
    ),
    path("parcels/<int:parcel_id>/cancel/", shipping_views.parcel_cancel, name="parcel_cancel"),
    path("parcels/<int:parcel_id>/retry/", shipping_views.parcel_retry, name="parcel_retry"),
    path("parcels/<int:parcel_id>/advance/", shipping_views.parcel_advance, name="parcel_advance"),
    path(
        "parcels/<int:parcel_id>/feedback/<int:delivery_id>/retry/",
        shipping_views.feedback_retry,
        name="parcel_feedback_retry",
    ),
    path("settings/webhooks/", shipping_views.webhooks, name="webhooks"),
    path("notifications/", shell_views.notifications, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        shell_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/", shell_views.notifications_read_all, name="notifications_read_all"
    ),
    path("account/", shell_views.account, name="account"),
    path("account/language/", shell_views.account_language, name="account_language"),
    path("account/api-keys/", shell_views.apikey_new, name="apikey_create"),
    path("account/api-keys/<int:key_id>/revoke/", shell_views.apikey_delete, name="apikey_revoke"),
    path("operator/outbox/", shell_views.outbox, name="outbox"),
    # onboarding: addresses, direct debit, shops
    path("settings/addresses/", onboarding_views.addresses, name="addresses"),
    path("settings/addresses/new/", onboarding_views.address_create, name="address_create"),
    path("settings/addresses/<int:pk>/edit/", onboarding_views.address_edit, name="address_edit"),
    path(
        "settings/addresses/<int:pk>/delete/",
        onboarding_views.address_delete,
        name="address_delete",
    ),
    path(
        "settings/addresses/<int:pk>/default/",
        onboarding_views.address_default,
        name="address_default",
    ),
    path(
        "settings/addresses/return-same-as-sender/",
        onboarding_views.return_same_as_sender,
        name="return_same_as_sender",
    ),
    path("settings/direct-debit/", onboarding_views.direct_debit, name="direct_debit"),
    path(
        "settings/direct-debit/revoke/",
        onboarding_views.direct_debit_revoke,
        name="direct_debit_revoke",
    ),
    path("settings/shops/", integration_views.shops, name="shops"),
    path("settings/shops/connect/", onboarding_views.shop_connect, name="shop_connect"),
    # connected shops: connect Amazon, pick marketplaces, change, sync, disconnect
    path("integrations/amazon/connect/", integration_views.connect, name="shop_connect_amazon"),
    path(
        "integrations/amazon/connect/seller-central/",
        integration_views.connect_oauth,
        name="shop_connect_oauth",
    ),
    path(
        "integrations/amazon/connect/self-authorized/",
        integration_views.connect_self,
        name="shop_connect_self",
    ),
    path(
        "integrations/amazon/connect/mws/", integration_views.connect_mws, name="shop_connect_mws"
    ),
    path(
        "integrations/amazon/callback", integration_views.oauth_callback, name="shop_oauth_callback"
    ),
    path("integrations/pending/<int:pending_id>/", integration_views.pending, name="shop_pending"),
    path("integrations/<int:integration_id>/edit/", integration_views.edit, name="shop_edit"),
    path("integrations/<int:integration_id>/sync/", integration_views.sync, name="shop_sync"),
    path(
        "integrations/<int:integration_id>/reimport/",
        integration_views.reimport,
        name="shop_reimport",
    ),
    path(
        "integrations/<int:integration_id>/disconnect/",
        integration_views.disconnect,
        name="shop_disconnect",
    ),
    path("integrations/<int:integration_id>/renew/", lifecycle_views.renew, name="shop_renew"),
    path("integrations/<int:integration_id>/revoke/", lifecycle_views.revoke, name="shop_revoke"),
]
