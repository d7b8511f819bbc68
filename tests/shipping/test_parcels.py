"""Parcels with the local carrier: creation, refusals, split, bulk, idempotency, labels,
statuses and cancellation. Orders are made directly with the ORM."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from colis.accounts.models import Account, Address
from colis.common import clock
from colis.orders.models import Order
from colis.shipping import errors, labels, selectors, services
from colis.shipping.models import Parcel, ParcelEvent, ParcelItem, ShippingMethod
from tests.shipping.conftest import make_order

pytestmark = pytest.mark.django_db

A6 = (105 * 72 / 25.4, 148 * 72 / 25.4)
A4 = (210 * 72 / 25.4, 297 * 72 / 25.4)


def pdf_pages(data: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(data)).pages)


def test_parcel_for_a_whole_order(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account, items=[("MUG", 2, 350), ("CUP", 1, 200)])
    [parcel] = services.parcel_create(account=account, order_id=order.id)
    assert parcel.status == Parcel.Status.READY_TO_SEND
    assert parcel.weight_grams == 900
    assert parcel.tracking_number.startswith("CL") and len(parcel.tracking_number) == 13
    assert parcel.label_created_at is not None and parcel.first_scan_at is None
    assert parcel.shipping_method == local_method
    sender = Address.objects.get(account=account, kind="sender")
    ret = Address.objects.get(account=account, kind="return")
    assert parcel.sender_address == sender and parcel.return_address == ret
    assert sorted(ParcelItem.objects.filter(parcel=parcel).values_list("quantity", flat=True)) == [
        1,
        2,
    ]
    assert [e.status for e in parcel.events.all()] == ["pending", "ready_to_send"]


def test_return_address_is_the_sender_when_the_account_says_so(
    account: Account, local_method: ShippingMethod
) -> None:
    account.return_same_as_sender = True
    account.save(update_fields=["return_same_as_sender"])
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    assert parcel.return_address == parcel.sender_address


def test_edited_weight(account: Account, local_method: ShippingMethod) -> None:
    [parcel] = services.parcel_create(
        account=account, order_id=make_order(account).id, weight_grams=1234
    )
    assert parcel.weight_grams == 1234


def test_pdf_label_is_a6_and_names_the_recipient(
    account: Account, local_method: ShippingMethod
) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    data = selectors.label_get(account=account, parcel_id=parcel.id, fmt="pdf")
    [page] = pdf_pages(data)
    assert float(page.mediabox.width) == pytest.approx(A6[0], abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(A6[1], abs=0.5)
    text = page.extract_text()
    assert "Jeanne Dupré" in text
    assert parcel.tracking_number in text
    assert "Lager Berlin" in text


def test_zpl_label(account: Account, local_method: ShippingMethod) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    zpl = selectors.label_get(account=account, parcel_id=parcel.id, fmt="zpl").decode()
    assert zpl.startswith("^XA")
    assert zpl.rstrip().endswith("^XZ")
    assert "^CI28" in zpl  # UTF-8 field data
    assert "Jeanne Dupré" in zpl
    assert parcel.tracking_number in zpl


def test_a4_sheet_has_four_labels_per_page(account: Account, local_method: ShippingMethod) -> None:
    orders = [make_order(account) for _ in range(6)]
    result = services.parcel_create_bulk(account=account, order_ids=[o.id for o in orders])
    assert result.batch_id is not None and result.pages == 6
    merged = selectors.label_batch_get(account=account, batch_id=result.batch_id, fmt="pdf")
    assert len(pdf_pages(merged)) == 6
    sheet = selectors.label_batch_get(account=account, batch_id=result.batch_id, fmt="a4")
    pages = pdf_pages(sheet)
    assert len(pages) == 2  # 4 + 2
    assert float(pages[0].mediabox.width) == pytest.approx(A4[0], abs=0.5)
    assert float(pages[0].mediabox.height) == pytest.approx(A4[1], abs=0.5)
    first = pages[0].extract_text()
    numbers = [p.tracking_number for p in result.parcels]
    assert sum(n in first for n in numbers) == 4
    assert sum(n in pages[1].extract_text() for n in numbers) == 2
    single = selectors.label_get(account=account, parcel_id=result.parcels[0].id, fmt="a4")
    assert len(pdf_pages(single)) == 1


def test_label_files_are_scoped_and_not_guessable(
    account: Account, local_method: ShippingMethod, _media: Any
) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    assert parcel.label_pdf.startswith(f"labels/{account.id}/")
    name = parcel.label_pdf.rsplit("/", 1)[1]
    stem = name.split(".")[0]
    assert stem != str(parcel.id) and len(stem) >= 40  # 32 random bytes, url-safe
    with pytest.raises(labels.LabelFileMissing):
        labels.label_read(account_id=account.id + 1, relative=parcel.label_pdf)


def test_label_of_another_account_is_not_found(
    account: Account, local_method: ShippingMethod, make_user: Any
) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    other = make_user(ready=True).account
    with pytest.raises(errors.NotFound):
        selectors.label_get(account=other, parcel_id=parcel.id, fmt="pdf")
    with pytest.raises(errors.NotFound):
        services.parcel_cancel(account=other, parcel_id=parcel.id)
    with pytest.raises(errors.NotFound):
        services.parcel_create(account=other, order_id=parcel.order_id)


# --- split -----------------------------------------------------------------------------


def test_split_by_item_quantity(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account, items=[("MUG", 3, 300), ("CUP", 1, 100)])
    mug, cup = order.items.order_by("sku").reverse()
    parcels = services.parcel_create(
        account=account,
        order_id=order.id,
        items=[
            [{"order_item_id": mug.id, "quantity": 2}],
            [{"order_item_id": mug.id, "quantity": 1}, {"order_item_id": cup.id, "quantity": 1}],
        ],
    )
    assert [p.package_index for p in parcels] == [1, 2]
    assert all(p.package_count == 2 for p in parcels)
    assert [p.weight_grams for p in parcels] == [600, 400]
    assert len({p.tracking_number for p in parcels}) == 2
    text = pdf_pages(selectors.label_get(account=account, parcel_id=parcels[1].id))[
        0
    ].extract_text()
    assert "2 / 2" in text
    # Nothing is left to ship now.
    with pytest.raises(errors.NothingToShip):
        services.parcel_create(account=account, order_id=order.id)


def test_split_never_exceeds_what_is_left(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account, items=[("MUG", 3, 300)])
    mug = order.items.get()
    services.parcel_create(
        account=account, order_id=order.id, items=[[{"order_item_id": mug.id, "quantity": 2}]]
    )
    with pytest.raises(errors.QuantityExceeded) as exc:
        services.parcel_create(
            account=account,
            order_id=order.id,
            items=[[{"order_item_id": mug.id, "quantity": 2}]],
            idempotency_key="second",
        )
    assert "1 left" in exc.value.message
    # Marketplace-shipped units count too.
    order2 = make_order(account, items=[("MUG", 3, 300)])
    item2 = order2.items.get()
    item2.quantity_shipped = 2
    item2.save(update_fields=["quantity_shipped"])
    [parcel] = services.parcel_create(account=account, order_id=order2.id)
    assert parcel.items.get().quantity == 1


@pytest.mark.parametrize(
    "items",
    [
        [],
        [[]],
        [[{"order_item_id": 0, "quantity": 0}]],
        [[{"quantity": 1}]],
    ],
)
def test_missing_items_or_zero_quantities_are_refused(
    account: Account, local_method: ShippingMethod, items: Any
) -> None:
    order = make_order(account)
    if items and items[0] and "order_item_id" in items[0][0]:
        items = [[{"order_item_id": order.items.get().id, "quantity": 0}]]
    with pytest.raises(errors.ItemsInvalid) as exc:
        services.parcel_create(account=account, order_id=order.id, items=items)
    assert exc.value.field == "items"
    assert not Parcel.objects.filter(order=order).exists()


def test_item_of_another_order_is_refused(account: Account, local_method: ShippingMethod) -> None:
    order, other = make_order(account), make_order(account)
    with pytest.raises(errors.ItemsInvalid):
        services.parcel_create(
            account=account,
            order_id=order.id,
            items=[[{"order_item_id": other.items.get().id, "quantity": 1}]],
        )


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": Order.Status.CANCELLED}, errors.OrderCancelled),
        ({"buyer_cancel_requested": True}, errors.BuyerCancelRequested),
        ({"fulfilled_by_marketplace": True}, errors.AfnOrder),
        ({"status": Order.Status.PENDING}, errors.OrderNotShippable),
        ({"status": Order.Status.SHIPPED}, errors.OrderNotShippable),
    ],
)
def test_unshippable_orders_are_refused(
    account: Account, local_method: ShippingMethod, fields: dict[str, Any], error: type
) -> None:
    order = make_order(account, **fields)
    with pytest.raises(error):
        services.parcel_create(account=account, order_id=order.id)
    assert not Parcel.objects.filter(order=order).exists()


def test_item_level_buyer_cancel_is_refused(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account)
    order.items.update(buyer_cancel_requested=True)
    with pytest.raises(errors.BuyerCancelRequested):
        services.parcel_create(account=account, order_id=order.id)


def test_weight_above_the_method_limit(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account)
    with pytest.raises(errors.WeightOutOfRange) as exc:
        services.parcel_create(account=account, order_id=order.id, weight_grams=40_000)
    assert exc.value.field == "weight_grams"
    services.shipping_method_update(
        account=account, method_id=local_method.id, min_weight_grams=800
    )
    with pytest.raises(errors.WeightOutOfRange):
        services.parcel_create(account=account, order_id=order.id)  # 700 g


def test_missing_weight(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account, items=[("MUG", 1, None)])
    with pytest.raises(errors.WeightMissing):
        services.parcel_create(account=account, order_id=order.id)
    [parcel] = services.parcel_create(account=account, order_id=order.id, weight_grams=500)
    assert parcel.weight_grams == 500


def test_destination_not_served(account: Account, local_method: ShippingMethod) -> None:
    services.shipping_method_update(
        account=account, method_id=local_method.id, destination_countries=["de", "AT"]
    )
    order = make_order(account)  # to FR
    with pytest.raises(errors.DestinationNotServed):
        services.parcel_create(account=account, order_id=order.id)
    services.parcel_create(account=account, order_id=make_order(account, recipient_country="AT").id)


def test_method_required_without_a_default(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account)
    services.integration_shipping_default_set(
        account=account, integration_id=order.integration_id, method_id=None
    )
    with pytest.raises(errors.MethodRequired):
        services.parcel_create(account=account, order_id=order.id)
    services.parcel_create(account=account, order_id=order.id, method_id=local_method.id)


def test_sender_address_missing(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account)
    Address.objects.filter(account=account, kind="sender").delete()
    with pytest.raises(errors.SenderAddressMissing):
        services.parcel_create(account=account, order_id=order.id)


def test_inactive_method(account: Account, local_method: ShippingMethod) -> None:
    services.shipping_method_update(account=account, method_id=local_method.id, is_active=False)
    with pytest.raises(errors.MethodInactive):
        services.parcel_create(account=account, order_id=make_order(account).id)


# --- idempotency and uniqueness ------------------------------------------------------


def test_a_retried_request_never_makes_two_labels(
    account: Account, local_method: ShippingMethod
) -> None:
    order = make_order(account)
    first = services.parcel_create(account=account, order_id=order.id, idempotency_key="req-1")
    again = services.parcel_create(account=account, order_id=order.id, idempotency_key="req-1")
    assert [p.id for p in again] == [p.id for p in first]
    assert Parcel.objects.filter(order=order).count() == 1
    # Without a key, the same request is keyed by its content.
    order2 = make_order(account)
    a = services.parcel_create(account=account, order_id=order2.id)
    b = services.parcel_create(account=account, order_id=order2.id)
    assert [p.id for p in a] == [p.id for p in b]
    with pytest.raises(errors.IdempotencyKeyReused):
        services.parcel_create(
            account=account, order_id=order.id, idempotency_key="req-1", weight_grams=999
        )
    with pytest.raises(errors.IdempotencyKeyReused):  # the same key for another order
        services.parcel_create(account=account, order_id=order2.id, idempotency_key="req-1")


def test_tracking_numbers_unique_per_account(
    account: Account, local_method: ShippingMethod
) -> None:
    result = services.parcel_create_bulk(
        account=account, order_ids=[make_order(account).id for _ in range(20)]
    )
    numbers = [p.tracking_number for p in result.parcels]
    assert len(numbers) == len(set(numbers)) == 20
    clash = Parcel.objects.get(id=result.parcels[1].id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Parcel.objects.filter(id=clash.id).update(tracking_number=numbers[0])


# --- bulk ------------------------------------------------------------------------------


def test_bulk_with_some_failures(account: Account, local_method: ShippingMethod) -> None:
    good = [make_order(account) for _ in range(3)]
    cancelled = make_order(account, status=Order.Status.CANCELLED)
    afn = make_order(account, fulfilled_by_marketplace=True)
    heavy = make_order(account, items=[("ANVIL", 1, 50_000)])
    result = services.parcel_create_bulk(
        account=account,
        order_ids=[good[0].id, cancelled.id, good[1].id, afn.id, heavy.id, good[2].id, 999_999],
    )
    assert sorted(p.order_id for p in result.parcels) == sorted(o.id for o in good)
    assert {(f.order_id, f.code) for f in result.failures} == {
        (cancelled.id, "order_cancelled"),
        (afn.id, "afn_order"),
        (heavy.id, "weight_out_of_range"),
        (999_999, "not_found"),
    }
    assert result.pages == 3


# --- cancellation ----------------------------------------------------------------------


def test_cancel_makes_items_shippable_again(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account)
    [parcel] = services.parcel_create(account=account, order_id=order.id)
    cancelled = services.parcel_cancel(account=account, parcel_id=parcel.id)
    assert cancelled.status == Parcel.Status.CANCELLED and cancelled.cancelled_at
    assert selectors.order_item_remaining(account=account, order=order) == {order.items.get().id: 2}
    with pytest.raises(errors.LabelNotAvailable):
        selectors.label_get(account=account, parcel_id=parcel.id)
    # Same request again: a new parcel (the cancelled one does not answer it).
    [again] = services.parcel_create(account=account, order_id=order.id)
    assert again.id != parcel.id and again.status == Parcel.Status.READY_TO_SEND
    assert services.parcel_cancel(account=account, parcel_id=parcel.id).status == "cancelled"


def test_a_scanned_parcel_cannot_be_cancelled(
    account: Account, local_method: ShippingMethod
) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    services.parcel_local_advance(account=account, parcel_id=parcel.id, to="picked_up")
    with pytest.raises(errors.ParcelNotCancellable):
        services.parcel_cancel(account=account, parcel_id=parcel.id)


# --- statuses --------------------------------------------------------------------------


def test_local_clock_advances_statuses_and_sets_first_scan_once(
    account: Account, local_method: ShippingMethod, monkeypatch: pytest.MonkeyPatch
) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    start = parcel.label_created_at
    assert start is not None
    step = dt.timedelta(minutes=60)
    assert services.parcel_local_step(now=start + step / 2) == 0
    parcel.refresh_from_db()
    assert parcel.next_track_at == start + step  # the clock says when to look again
    assert services.parcel_local_step(now=start + step + dt.timedelta(minutes=1)) == 1
    parcel.refresh_from_db()
    assert parcel.status == "picked_up"
    assert parcel.first_scan_at == start + step
    services.parcel_local_step(now=start + 5 * step)
    parcel.refresh_from_db()
    assert parcel.status == "delivered" and parcel.delivered_at == start + 4 * step
    assert parcel.first_scan_at == start + step  # set once
    history = [e.status for e in ParcelEvent.objects.filter(parcel=parcel)]
    assert history == [
        "pending",
        "ready_to_send",
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    # Polling again records nothing twice and changes nothing.
    assert services.parcel_local_step(now=start + 6 * step) == 0
    assert ParcelEvent.objects.filter(parcel=parcel).count() == 6


def test_control_moves_a_local_parcel(account: Account, local_method: ShippingMethod) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    moved = services.parcel_local_advance(
        account=account, parcel_id=parcel.id, to="out_for_delivery"
    )
    assert moved.status == "out_for_delivery" and moved.first_scan_at is not None
    first = moved.first_scan_at
    moved = services.parcel_local_advance(
        account=account, parcel_id=parcel.id, to="delivery_failed"
    )
    assert moved.first_scan_at == first
    # The clock never moves it back.
    services.parcel_local_step(now=clock.now() + dt.timedelta(minutes=150))
    moved.refresh_from_db()
    assert moved.status == "delivery_failed"
    with pytest.raises(errors.InvalidInput):
        services.parcel_local_advance(account=account, parcel_id=parcel.id, to="teleported")
    sources = set(ParcelEvent.objects.filter(parcel=parcel).values_list("source", flat=True))
    assert {"colis", "control"} <= sources


def test_first_scan_update_is_conditional(account: Account, local_method: ShippingMethod) -> None:
    [parcel] = services.parcel_create(account=account, order_id=make_order(account).id)
    services.parcel_local_advance(account=account, parcel_id=parcel.id, to="in_transit")
    parcel.refresh_from_db()
    first = parcel.first_scan_at
    services.parcel_local_advance(account=account, parcel_id=parcel.id, to="delivered")
    parcel.refresh_from_db()
    assert parcel.first_scan_at == first and parcel.status == "delivered"
    with pytest.raises(errors.ParcelStateConflict):
        services.parcel_local_advance(account=account, parcel_id=parcel.id, to="in_transit")


# --- Amazon words for the feedback colleague ---------------------------------------------


def test_amazon_shipment_for_a_parcel(account: Account, local_method: ShippingMethod) -> None:
    order = make_order(account)
    [parcel] = services.parcel_create(account=account, order_id=order.id)
    info = selectors.parcel_amazon_shipment(account=account, parcel_id=parcel.id)
    assert info.carrier_code == "Other" and info.carrier_name == "colis local"
    assert info.shipping_method == "Standard"
    assert info.tracking_number == parcel.tracking_number
    assert info.items == [(order.items.get().external_id, 2)]
    services.amazon_carrier_mapping_set(
        account=account,
        method_id=local_method.id,
        marketplace_id=order.marketplace_id,
        carrier_code="La Poste",
        shipping_method_name="Lettre suivie",
    )
    info = selectors.parcel_amazon_shipment(account=account, parcel_id=parcel.id)
    assert (info.carrier_code, info.carrier_name, info.shipping_method) == (
        "La Poste",
        None,
        "Lettre suivie",
    )


def test_mapping_refuses_unknown_codes_and_other_without_name(
    account: Account, local_method: ShippingMethod
) -> None:
    with pytest.raises(errors.InvalidInput) as exc:
        services.amazon_carrier_mapping_set(
            account=account, method_id=local_method.id, carrier_code="dhl"
        )
    assert exc.value.field == "carrier_code"
    with pytest.raises(errors.InvalidInput) as exc:
        services.amazon_carrier_mapping_set(
            account=account, method_id=local_method.id, carrier_code="Other"
        )
    assert exc.value.field == "carrier_name"


def test_seed_demo_is_idempotent(account: Account) -> None:
    a = services.shipping_seed_demo(account=account)
    b = services.shipping_seed_demo(account=account)
    assert a.id == b.id
    assert a.amazon_mappings.get().carrier_code == "Other"
