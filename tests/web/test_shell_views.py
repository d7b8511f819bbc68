"""The panel shell's pages: navigation, account (language, API keys), operator outbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from colis.accounts.models import ApiKey, User
from colis.accounts.services import apikey_authenticate, apikey_create
from colis.notifications.models import OutboxMessage

SELLER_PAGES = [
    "web:dashboard",
    "web:orders",
    "web:parcels",
    "web:notifications",
    "web:account",
    "web:shops",
    "web:addresses",
    "web:direct_debit",
]


@pytest.fixture
def staff(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(email="ops@example.test", is_staff=True))
    return client


@pytest.fixture(autouse=True)
def _outbox_backend(settings: Any) -> None:
    settings.EMAIL_BACKEND = "colis.notifications.outbox.OutboxEmailBackend"


@pytest.mark.parametrize("name", SELLER_PAGES)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_panel_page_renders(panel: Client, name: str, language: str) -> None:
    panel.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the EN/FR switch sets
    response = panel.get(reverse(name), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'href="#main"' in html  # skip link
    assert 'aria-current="page"' in html


@pytest.mark.parametrize("name", ["web:orders", "web:parcels", "web:notifications", "web:account"])
def test_pages_need_sign_in(client: Client, db: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_navigation_marks_the_current_page(panel: Client) -> None:
    html = panel.get(reverse("web:parcels")).content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', html)
    assert current == [reverse("web:parcels")]
    for name in [
        "web:orders",
        "web:shops",
        "web:addresses",
        "web:direct_debit",
        "web:notifications",
        "web:account",
    ]:
        assert f'href="{reverse(name)}"' in html
    # sellers do not see the operator section
    assert reverse("web:outbox") not in html


def test_htmx_and_styles_are_served_locally(panel: Client) -> None:
    html = panel.get(reverse("web:orders")).content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/colis/panel.css" in html
    assert "https://" not in html.split("<body")[0]  # nothing from a CDN in <head>


def test_language_switch_posts_to_set_language(panel: Client) -> None:
    html = panel.get(reverse("web:orders")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="fr"' in html
    response = panel.post(
        reverse("set_language"), {"language": "fr", "next": reverse("web:orders")}, follow=True
    )
    assert '<html lang="fr"' in response.content.decode()
    assert "Commandes importées" in response.content.decode()


# --- operator outbox -------------------------------------------------------------------


def test_outbox_is_staff_only(panel: Client) -> None:
    assert panel.get(reverse("web:outbox")).status_code == 404


def test_outbox_needs_sign_in(client: Client, db: Any) -> None:
    assert client.get(reverse("web:outbox")).status_code == 302


def test_outbox_lists_messages_and_shows_bodies(staff: Client) -> None:
    mail.send_mail(
        "Please confirm",
        "Open http://testserver/confirm/abc/ now",
        "noreply@localhost",
        ["seller@example.test"],
    )
    mail.send_mail("Other", "Other body", "noreply@localhost", ["other@example.test"])
    assert OutboxMessage.objects.count() == 2
    html = staff.get(reverse("web:outbox")).content.decode()
    assert "Please confirm" in html and "Other" in html
    assert '<a href="http://testserver/confirm/abc/"' in html  # the body, with its link clickable
    assert 'aria-current="page"' in html
    filtered = staff.get(reverse("web:outbox"), {"to": "seller@example.test"}).content.decode()
    assert "Please confirm" in filtered and "Other body" not in filtered


def test_outbox_empty_state(staff: Client) -> None:
    html = staff.get(reverse("web:outbox")).content.decode()
    assert "The outbox is empty" in html


# --- account ---------------------------------------------------------------------------


def test_account_shows_email_and_mfa_link(panel: Client, user: User) -> None:
    html = panel.get(reverse("web:account")).content.decode()
    assert user.email in html
    assert reverse("mfa_activate_totp") in html
    assert reverse("account_change_password") in html


def test_account_language_is_saved_on_the_user(panel: Client, user: User) -> None:
    response = panel.post(reverse("web:account_language"), {"language": "fr"}, follow=True)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.language == "fr"
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Votre préférence de langue est enregistrée." in html
    # a later visit without any cookie still speaks French: the saved preference wins
    fresh = Client()
    fresh.force_login(user)
    assert '<html lang="fr"' in fresh.get(reverse("web:orders")).content.decode()


def test_account_language_rejects_unknown(panel: Client, user: User) -> None:
    response = panel.post(reverse("web:account_language"), {"language": "xx"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.language == "en"


def test_account_language_is_post_only(panel: Client) -> None:
    assert panel.get(reverse("web:account_language")).status_code == 405


def test_apikey_is_shown_once_then_only_last4(panel: Client, user: User) -> None:
    response = panel.post(reverse("web:apikey_create"), {"name": "ERP export"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    match = re.search(r"<code class=\"secret\" data-new-key>(colis_[\w-]+)</code>", html)
    assert match, html
    raw = match.group(1)
    assert apikey_authenticate(raw=raw) == user
    key = ApiKey.objects.get(account=user.account)
    assert key.name == "ERP export" and key.last4 == raw[-4:]

    later = panel.get(reverse("web:account")).content.decode()
    assert raw not in later
    assert raw[:-4] not in later
    assert f"<span data-last4>{raw[-4:]}</span>" in later
    assert "ERP export" in later


def test_apikey_revoke(panel: Client, user: User) -> None:
    new = apikey_create(user=user, name="old")
    response = panel.post(reverse("web:apikey_revoke", args=[new.api_key.pk]), follow=True)
    assert response.status_code == 200
    assert apikey_authenticate(raw=new.raw) is None
    html = response.content.decode()
    assert new.api_key.last4 in html
    assert "revoked" in html


def test_apikey_revoke_of_another_account_is_404(
    panel: Client, make_user: Callable[..., User]
) -> None:
    other = apikey_create(user=make_user())
    response = panel.post(reverse("web:apikey_revoke", args=[other.api_key.pk]))
    assert response.status_code == 404
    assert apikey_authenticate(raw=other.raw) is not None


def test_apikey_revoke_is_post_only(panel: Client, user: User) -> None:
    new = apikey_create(user=user)
    assert panel.get(reverse("web:apikey_revoke", args=[new.api_key.pk])).status_code == 405
    assert apikey_authenticate(raw=new.raw) == user


# --- allauth pages use the panel shell ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_allauth_pages_use_the_shell(client: Client, db: Any, name: str, language: str) -> None:
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/colis/panel.css" in html
    assert f'<html lang="{language}"' in html
    assert 'class="lang-switch"' in html


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "mfa_index", "account_logout"]
)
def test_allauth_manage_pages_use_the_shell(panel: Client, name: str) -> None:
    html = panel.get(reverse(name)).content.decode()
    assert 'class="sidebar"' in html and "/static/colis/panel.css" in html


def test_password_reset_steps_use_the_shell(client: Client, user: User) -> None:
    response = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    body = next(m.body for m in OutboxMessage.objects.all() if user.email in m.recipients())
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body)
    assert match, body
    form_page = client.get(match.group(1), follow=True)
    html = form_page.content.decode()
    assert "Choose a new password" in html and "New password" in html
    assert "/static/colis/panel.css" in html
    new_password = "a fresh password, long enough"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else match.group(1),
        {"password1": new_password, "password2": new_password},
        follow=True,
    )
    assert "Password changed" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_invalid_confirmation_link_is_explained(client: Client, db: Any) -> None:
    html = client.get(reverse("account_confirm_email", args=["nope"])).content.decode()
    assert "This confirmation link has expired or is invalid." in html


def test_unread_notifications_show_in_the_nav(rf: Any, user: User) -> None:
    from django.template.loader import render_to_string

    request = rf.get(reverse("web:parcels"))
    request.user = user
    html = render_to_string("web/base.html", {"notifications_unread": 3}, request=request)
    assert '<span class="nav-count">3<span class="visually-hidden"> unread</span></span>' in html
    html = render_to_string("web/base.html", {"notifications_unread": 0}, request=request)
    assert "nav-count" not in html
