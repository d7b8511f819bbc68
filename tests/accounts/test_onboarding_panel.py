"""Panel pages for onboarding: addresses, direct debit, shops, the dashboard checklist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from colis.accounts.models import Address, DirectDebitMandate

GOOD = {
    "name": "Lager Berlin",
    "company": "",
    "street": "Hauptstr. 1",
    "street2": "",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "phone": "030 1234567",
    "email": "lager@example.test",
    "vat_number": "",
}
MANDATE = {
    "account_holder": "Beispiel GmbH",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "",
    "accept": "on",
}


def html(response: Any) -> str:
    return response.content.decode()


def assert_field_error(response: Any, field: str) -> None:
    page = html(response)
    assert response.status_code == 400
    assert 'role="alert"' in page
    assert f'id="id_{field}_error"' in page
    tag = re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*>', page)
    assert tag, f"no input named {field}"
    assert f"id_{field}_error" in tag.group(0)  # aria-describedby ties the error to the field
    assert 'aria-invalid="true"' in tag.group(0)


def assert_every_input_labelled(page: str) -> None:
    form = page[page.index('<form method="post" novalidate') :]
    ids = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', form)
    assert ids
    for input_id in ids:
        assert f'<label for="{input_id}"' in form, input_id


def test_pages_need_login(db: Any) -> None:
    client = Client()
    for name in (
        "web:addresses",
        "web:address_create",
        "web:direct_debit",
        "web:shops",
        "web:shop_connect",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_address_form_is_accessible(panel: Client) -> None:
    response = panel.get(reverse("web:address_create") + "?kind=sender")
    assert response.status_code == 200
    page = html(response)
    for name in GOOD:
        assert f'name="{name}"' in page
    assert '<select name="country"' in page
    assert_every_input_labelled(page)


def test_create_sender_addresses_and_default(panel: Client, user: Any) -> None:
    url = reverse("web:address_create") + "?kind=sender"
    assert panel.post(url, GOOD).status_code == 302
    assert (
        panel.post(
            url, {**GOOD, "name": "Lager Hamburg", "postal_code": "20095", "city": "Hamburg"}
        ).status_code
        == 302
    )
    first, second = Address.objects.filter(account=user.account).order_by("id")
    assert first.is_default and not second.is_default
    assert first.phone == "+49301234567"
    page = html(panel.get(reverse("web:addresses")))
    assert "Lager Hamburg" in page
    assert f'data-address-id="{first.pk}" data-default="true"' in page
    assert "Default" in page
    panel.post(reverse("web:address_default", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default and not first.is_default
    panel.post(reverse("web:address_delete", args=[second.pk]))
    first.refresh_from_db()
    assert first.is_default


def test_edit_address(panel: Client, user: Any) -> None:
    panel.post(
        reverse("web:address_create") + "?kind=billing", {**GOOD, "vat_number": "DE123456789"}
    )
    billing = Address.objects.get(account=user.account, kind="billing")
    page = html(panel.get(reverse("web:address_edit", args=[billing.pk])))
    assert 'value="DE123456789"' in page
    assert '<option value="DE" selected>' in page
    response = panel.post(
        reverse("web:address_edit", args=[billing.pk]),
        {**GOOD, "city": "Potsdam", "postal_code": "14467"},
    )
    assert response.status_code == 302
    billing.refresh_from_db()
    assert billing.city == "Potsdam"


def test_second_billing_goes_to_the_edit_page(panel: Client, user: Any) -> None:
    panel.post(reverse("web:address_create") + "?kind=billing", GOOD)
    billing = Address.objects.get(account=user.account, kind="billing")
    response = panel.get(reverse("web:address_create") + "?kind=billing")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:address_edit", args=[billing.pk])


def test_unknown_kind_is_404(panel: Client) -> None:
    assert panel.get(reverse("web:address_create") + "?kind=warehouse").status_code == 404


BAD: list[tuple[str, dict[str, str], str]] = [
    ("unknown country", {"country": "XX"}, "country"),
    ("invalid postal code", {"postal_code": "ABCDE"}, "postal_code"),
    ("invalid phone", {"phone": "12"}, "phone"),
    ("invalid e-mail", {"email": "x@"}, "email"),
    ("oversized name", {"name": "x" * 101}, "name"),
    ("oversized street2", {"street2": "x" * 151}, "street2"),
    ("markup in name", {"name": "<script>alert(1)</script>"}, "name"),
    ("markup in city", {"city": "Berlin<"}, "city"),
    ("bad VAT", {"vat_number": "FR1"}, "vat_number"),
]


@pytest.mark.parametrize(("label", "change", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_address_input_shows_the_field_error_and_saves_nothing(
    panel: Client, label: str, change: dict[str, str], field: str
) -> None:
    response = panel.post(reverse("web:address_create") + "?kind=billing", {**GOOD, **change})
    assert_field_error(response, field)
    assert "<script>alert(1)</script>" not in html(response)  # echoed input is escaped
    assert Address.objects.count() == 0


def test_return_same_as_sender_toggle(panel: Client, user: Any) -> None:
    panel.post(reverse("web:address_create") + "?kind=sender", GOOD)
    panel.post(reverse("web:address_create") + "?kind=return", GOOD)
    response = panel.post(reverse("web:return_same_as_sender"), {"enabled": "1"})
    assert response.status_code == 302
    user.account.refresh_from_db()
    assert user.account.return_same_as_sender
    assert not Address.objects.filter(kind="return").exists()
    assert "Same as sender" in html(panel.get(reverse("web:addresses")))
    panel.post(reverse("web:return_same_as_sender"), {"enabled": "0"})
    user.account.refresh_from_db()
    assert not user.account.return_same_as_sender


def test_post_only_views_refuse_get(panel: Client) -> None:
    for url in (
        reverse("web:address_delete", args=[1]),
        reverse("web:address_default", args=[1]),
        reverse("web:return_same_as_sender"),
        reverse("web:direct_debit_revoke"),
    ):
        assert panel.get(url).status_code == 405


# --- direct debit ---------------------------------------------------------------------


def test_direct_debit_form_shows_the_mandate_text(panel: Client) -> None:
    page = html(panel.get(reverse("web:direct_debit")))
    assert 'id="mandate-text"' in page
    assert "SEPA Core Direct Debit Mandate" in page
    assert 'data-version="2026-01"' in page
    for name in ("account_holder", "iban", "bic", "accept"):
        assert f'name="{name}"' in page
    assert_every_input_labelled(page)


def test_direct_debit_in_french(make_user: Any) -> None:
    user = make_user(language="fr")
    client = Client()
    client.force_login(user)
    page = html(client.get(reverse("web:direct_debit")))
    assert 'lang="fr" data-version="2026-01"' in page
    assert "Mandat de prélèvement SEPA Core" in page
    client.post(reverse("web:direct_debit"), MANDATE)
    assert DirectDebitMandate.objects.get(account=user.account).accepted_language == "fr"


def test_sign_and_revoke(panel: Client, user: Any) -> None:
    response = panel.post(reverse("web:direct_debit"), MANDATE)
    assert response.status_code == 302
    mandate = DirectDebitMandate.objects.get(account=user.account)
    page = html(panel.get(reverse("web:direct_debit")))
    assert mandate.reference in page
    assert "3000" in page
    assert "DE89370400440532013000" not in page
    assert "DE89 3704 0044 0532 0130 00" not in page
    # a second signature is refused while one is active
    panel.post(reverse("web:direct_debit"), MANDATE)
    assert DirectDebitMandate.objects.filter(account=user.account).count() == 1
    assert panel.post(reverse("web:direct_debit_revoke")).status_code == 302
    mandate.refresh_from_db()
    assert mandate.state == "revoked" and mandate.revoked_at
    assert 'id="mandate-form"' in html(panel.get(reverse("web:direct_debit")))
    assert panel.post(reverse("web:direct_debit_revoke")).status_code == 404


MANDATE_BAD: list[tuple[str, dict[str, str], str]] = [
    ("malformed IBAN", {"iban": "DE00 1234"}, "iban"),
    ("IBAN/BIC mismatch", {"bic": "BNPAFRPPXXX"}, "bic"),
    ("bank mismatch", {"bic": "DEUTDEFFXXX"}, "bic"),
    ("missing acceptance", {"accept": ""}, "accept"),
    ("oversized holder", {"account_holder": "x" * 71}, "account_holder"),
    ("markup in holder", {"account_holder": "<b>x</b>"}, "account_holder"),
]


@pytest.mark.parametrize(("label", "change", "field"), MANDATE_BAD, ids=[b[0] for b in MANDATE_BAD])
def test_bad_mandate_input_shows_the_field_error_and_saves_nothing(
    panel: Client, label: str, change: dict[str, str], field: str
) -> None:
    data = {**MANDATE, **change}
    if not data["accept"]:
        del data["accept"]
    response = panel.post(reverse("web:direct_debit"), data)
    assert_field_error(response, field)
    assert DirectDebitMandate.objects.count() == 0


# --- shops and the dashboard ------------------------------------------------------------


def test_shop_connect_refused_until_ready(panel: Client) -> None:
    for method in (panel.get, panel.post):
        response = method(reverse("web:shop_connect"))
        assert response.status_code == 302
        assert response["Location"] == reverse("web:dashboard")
    page = html(panel.get(reverse("web:dashboard")))
    assert "Finish onboarding first" in page
    for label in (
        "Add a sender address",
        "Add a return address",
        "Add a billing address",
        "Set up a SEPA direct debit",
    ):
        assert label in page


def test_shop_connect_when_ready(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(ready=True))
    for method in (client.get, client.post):
        response = method(reverse("web:shop_connect"))
        assert response.status_code == 200
        page = html(response)
        assert "<h1>Connect a shop</h1>" in page
        assert "Amazon" in page


def test_shops_page_links_to_connecting(panel: Client) -> None:
    response = panel.get(reverse("web:shops"))
    assert response.status_code == 200


def test_dashboard_checklist_for_a_new_account(panel: Client) -> None:
    page = html(panel.get(reverse("web:dashboard")))
    assert 'data-step="email_verified" data-done="true"' in page
    for step in ("sender_address", "return_address", "billing_address", "direct_debit"):
        assert f'data-step="{step}" data-done="false"' in page
    assert "To do" in page and "Done" in page
    assert re.search(r'<button[^>]*id="connect-shop"[^>]*disabled', page)
    assert reverse("web:direct_debit") in page
    assert reverse("web:address_create") + "?kind=sender" in page


def test_dashboard_when_ready(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(ready=True))
    page = html(client.get(reverse("web:dashboard")))
    assert 'data-done="false"' not in page
    link = re.search(r'<a[^>]*id="connect-shop"[^>]*>', page)
    assert link and reverse("web:shop_connect") in link.group(0)
    assert "disabled" not in link.group(0)


def test_onboarding_through_the_panel_makes_the_account_ready(panel: Client) -> None:
    panel.post(reverse("web:address_create") + "?kind=sender", GOOD)
    panel.post(reverse("web:return_same_as_sender"), {"enabled": "1"})
    panel.post(
        reverse("web:address_create") + "?kind=billing", {**GOOD, "vat_number": "DE123456789"}
    )
    panel.post(reverse("web:direct_debit"), MANDATE)
    assert panel.get(reverse("web:shop_connect")).status_code == 200
    panel.post(reverse("web:direct_debit_revoke"))
    assert panel.get(reverse("web:shop_connect")).status_code == 302


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_onboarding_page_renders(make_user: Any, language: str) -> None:
    user = make_user(language=language, ready=True)
    client = Client()
    client.force_login(user)
    billing = Address.objects.get(account=user.account, kind="billing")
    urls = [
        reverse("web:dashboard"),
        reverse("web:addresses"),
        reverse("web:address_create") + "?kind=sender",
        reverse("web:address_edit", args=[billing.pk]),
        reverse("web:direct_debit"),
        reverse("web:shops"),
        reverse("web:shop_connect"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in html(response)
