"""Labels print the buyer's name and address: encrypted on disk, purged with the order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from colis.orders.models import Order
from colis.privacy.services import privacy_purge_all
from colis.shipping import services
from colis.shipping.models import LabelBatch, Parcel
from colis.shipping.selectors import LabelNotAvailable, label_batch_get, label_get

from .conftest import make_order

pytestmark = pytest.mark.django_db


def _files() -> list[Path]:
    return [p for p in (Path(settings.MEDIA_ROOT) / "labels").rglob("*") if p.is_file()]


def test_label_files_are_ciphertext_and_go_with_the_purge(
    account: Any, local_method: Any, django_capture_on_commit_callbacks: Any
) -> None:
    order = make_order(account)
    other = make_order(account)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.parcel_create_bulk(account=account, order_ids=[order.pk, other.pk])
    parcel = Parcel.objects.get(order=order)
    assert b"Dupr" in label_get(account=account, parcel_id=parcel.pk, fmt="zpl")
    files = _files()
    assert files
    for path in files:
        raw = path.read_bytes()
        assert b"Dupr" not in raw and b"Jeanne" not in raw and not raw.startswith(b"%PDF")

    # Delivered 40 days ago: the purge takes the address, the labels and the bulk PDF.
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.SHIPPED, delivered_at=timezone.now() - dt.timedelta(days=40)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_purge_all().purged == 1
    with pytest.raises(LabelNotAvailable):
        label_get(account=account, parcel_id=parcel.pk, fmt="pdf")
    assert LabelBatch.objects.get(pk=result.batch_id).label_pdf == ""
    with pytest.raises(LabelNotAvailable):
        label_batch_get(account=account, batch_id=result.batch_id)
    # The other order's own label is untouched.
    kept = Parcel.objects.get(order=other)
    assert label_get(account=account, parcel_id=kept.pk, fmt="pdf").startswith(b"%PDF")
    assert len(_files()) == len([p for p in (kept.label_pdf, kept.label_zpl) if p])


def test_tracking_dates_start_the_retention_clock(account: Any, local_method: Any) -> None:
    order = make_order(account)
    parcel = services.parcel_create(account=account, order_id=order.pk)[0]
    services.parcel_local_advance(account=account, parcel_id=parcel.pk, to="in_transit")
    order.refresh_from_db()
    assert order.shipped_at is not None and order.delivered_at is None
    services.parcel_local_advance(account=account, parcel_id=parcel.pk, to="delivered")
    order.refresh_from_db()
    assert order.delivered_at is not None
