"""The lifecycle over the API and in the panel: renew, revoke, notifications (list, unread,
read, read-all), the bell count, the LWA client secret reminder and `colis check` line."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from colis.integrations.lifecycle import integration_lifecycle_sweep, lwa_secret_rotation
from colis.integrations.models import Integration
from colis.notifications.models import Notification
from tests.conftest import ApiClient
from tests.lifecycle.conftest import T0, YEAR, DrivenClock

DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.django_db


def test_api_notifications_read_and_read_all(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    user = make_user(language="fr")
    shop = make_shop(user.account)
    second = make_shop(user.account, name="Bottega IT", marketplace_id="APJ6JRA9NG5V4")
    clock.set(T0 + YEAR - 30 * DAY)
    integration_lifecycle_sweep()
    api = ApiClient(user)

    rows = api.get("/api/v1/notifications").json()
    assert len(rows) == 2 and all(r["unread"] for r in rows)
    assert {r["integration_id"] for r in rows} == {shop.pk, second.pk}
    assert all("expire le" in r["title"] for r in rows)  # the user's language
    first = rows[0]["id"]

    read = api.post(f"/api/v1/notifications/{first}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    again = api.post(f"/api/v1/notifications/{first}/read")
    assert again.json()["read_at"] == read.json()["read_at"]  # the first reading stays
    assert [r["id"] for r in api.get("/api/v1/notifications?unread=true").json()] != [first]
    assert len(api.get("/api/v1/notifications?unread=true").json()) == 1
    assert api.post("/api/v1/notifications/read-all").json() == {"marked": 1}
    assert api.get("/api/v1/notifications?unread=true").json() == []
    missing = api.post("/api/v1/notifications/999999/read")
    assert missing.status_code == 404
    assert missing.json() == {
        "errors": [{"code": "not_found", "message": "Not found.", "field": None}]
    }


def test_api_renew_and_revoke(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    user = make_user()
    shop = make_shop(user.account)
    api = ApiClient(user)
    # Seller Central authorizations renew on Amazon's consent page (the panel).
    renew = api.post(f"/api/v1/integrations/{shop.pk}/renew")
    assert renew.status_code == 409
    assert renew.json()["errors"][0]["code"] == "renewal_needs_consent"
    # A self-authorized application needs its new refresh token.
    own = make_shop(
        user.account,
        name="Own app",
        marketplace_id="APJ6JRA9NG5V4",
        auth_kind=Integration.AuthKind.SPAPI_SELF,
    )
    bad = api.post(f"/api/v1/integrations/{own.pk}/renew", {"refresh_token": "nope"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "refresh_token"

    revoked = api.post(f"/api/v1/integrations/{shop.pk}/revoke")
    assert revoked.status_code == 200
    body = revoked.json()
    assert body["state"] == "revoked" and "credentials" not in body
    shop.refresh_from_db()
    assert shop.credentials is None
    # An MWS shop whose token was deleted cannot be renewed with it.
    mws = make_shop(
        user.account,
        name="MWS",
        marketplace_id="A1F83G8C2ARO7P",
        auth_kind=Integration.AuthKind.MWS,
        credentials={"mws_auth_token": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e01"},
    )
    api.post(f"/api/v1/integrations/{mws.pk}/revoke")
    again = api.post(f"/api/v1/integrations/{mws.pk}/renew")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "renewal_not_possible"


def test_panel_shops_notifications_and_bell(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    user = make_user()
    shop = make_shop(user.account)
    panel = Client()
    panel.force_login(user)
    html = panel.get(reverse("web:shops")).content.decode()
    assert "Authorization expires" in html and "Renew…" in html and "Revoke…" in html

    clock.set(T0 + YEAR - 30 * DAY)
    integration_lifecycle_sweep()
    page = panel.get(reverse("web:notifications")).content.decode()
    assert 'class="nav-count">1<' in page
    assert "The Amazon authorization of Bottega DE expires on March 2, 2027" in page
    note = Notification.objects.get()
    assert reverse("web:shop_renew", args=[shop.pk]) in page
    response = panel.post(reverse("web:notification_read", args=[note.pk]))
    assert response.status_code == 302
    assert 'class="nav-count"' not in panel.get(reverse("web:notifications")).content.decode()

    clock.set(T0 + YEAR)
    integration_lifecycle_sweep()
    html = panel.get(reverse("web:shops")).content.decode()
    assert "Authorization expired" in html and "Expired on" in html
    assert panel.post(reverse("web:notifications_read_all")).status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 0

    confirm = panel.get(reverse("web:shop_revoke", args=[shop.pk]))
    assert (
        confirm.status_code == 200
        and "deletes this shop's Amazon token" in confirm.content.decode()
    )
    assert panel.post(reverse("web:shop_revoke", args=[shop.pk])).status_code == 302
    shop.refresh_from_db()
    assert shop.state == Integration.State.REVOKED and shop.credentials is None


def test_panel_in_french(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    user = make_user(language="fr")
    make_shop(user.account)
    clock.set(T0 + YEAR - 30 * DAY)
    integration_lifecycle_sweep()
    panel = Client()
    panel.force_login(user)
    page = panel.get(reverse("web:notifications"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "expire le 2 mars 2027" in page
    assert "Marquer comme lu" in page


def test_lwa_secret_rotation_reminder_and_check(
    clock: DrivenClock, make_user: Callable[..., Any], settings: Any
) -> None:
    staff = make_user(email="ops@example.test", is_staff=True)
    seller = make_user(email="seller@example.test")
    settings.COLIS_AMAZON_LWA_SECRET_ROTATED_ON = "2026-01-01"
    due = dt.date(2026, 6, 30)
    assert lwa_secret_rotation(now=clock.now()).due_on == due

    clock.set(dt.datetime(2026, 5, 31, 0, 0, tzinfo=dt.UTC) - DAY)  # 31 days before
    assert integration_lifecycle_sweep().lwa_reminders == 0
    clock.set(dt.datetime(2026, 5, 31, 0, 0, tzinfo=dt.UTC))  # 30 days before
    assert integration_lifecycle_sweep().lwa_reminders == 1
    assert integration_lifecycle_sweep().lwa_reminders == 0
    clock.set(dt.datetime(2026, 6, 30, 0, 0, tzinfo=dt.UTC))  # due: overdue reminder
    assert integration_lifecycle_sweep().lwa_reminders == 1
    rows = Notification.objects.filter(kind=Notification.Kind.LWA_SECRET_ROTATION)
    assert rows.count() == 2 and {r.user_id for r in rows} == {staff.pk}
    assert [m.to for m in mail.outbox] == [["ops@example.test"], ["ops@example.test"]]
    assert "June 30, 2026" in mail.outbox[0].subject
    assert not ApiClient(seller).get("/api/v1/notifications").json()
    assert len(ApiClient(staff).get("/api/v1/notifications").json()) == 2

    out = io.StringIO()
    # Other checks may fail in a test database; the line is printed before any error.
    with contextlib.suppress(Exception):
        call_command("check", stdout=out)
    assert "amazon lwa client secret: WARNING rotation overdue since 2026-06-30" in out.getvalue()
