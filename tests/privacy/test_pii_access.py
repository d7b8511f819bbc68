"""The trail of who opened which order's buyer data: who, when, which order; never the data."""

from __future__ import annotations

from typing import Any

import pytest

from colis.orders.models import Order
from colis.privacy.models import PiiAccess
from colis.privacy.selectors import pii_access_list
from colis.privacy.services import pii_access_record
from tests.privacy.conftest import DAY, PII, T0, make_order

pytestmark = pytest.mark.django_db


def test_record_and_list(make_user: Any, fake_clock: Any) -> None:
    user = make_user()
    account = user.account
    first, second = make_order(account), make_order(account)
    pii_access_record(account=account, user=user, order_id=first.pk, channel="panel")
    fake_clock.jump(DAY)
    pii_access_record(
        account=account,
        user=user,
        order_id=second.pk,
        channel="api",
        order_external_id=second.external_id,
    )

    rows = pii_access_list(account=account)
    assert [(r.order_id, r.channel) for r in rows] == [(second.pk, "api"), (first.pk, "panel")]
    assert rows[1].at == T0 and rows[1].user_id == user.pk and rows[1].user_email == user.email
    assert [r.order_id for r in pii_access_list(account=account, order_id=first.pk)] == [first.pk]


def test_no_buyer_data_is_stored(make_user: Any) -> None:
    user = make_user()
    order = make_order(user.account)
    row = pii_access_record(account=user.account, user=user, order_id=order.pk, channel="panel")
    stored = " ".join(str(v) for v in PiiAccess.objects.filter(pk=row.pk).values().get().values())
    for value in PII.values():
        assert value not in stored


def test_unknown_channel_is_refused(make_user: Any) -> None:
    user = make_user()
    with pytest.raises(ValueError, match="channel"):
        pii_access_record(account=user.account, user=user, order_id=1, channel="email")


def test_scoped_to_the_account(make_user: Any) -> None:
    owner, other = make_user(), make_user()
    order = make_order(owner.account)
    pii_access_record(account=owner.account, user=owner, order_id=order.pk, channel="api")
    assert pii_access_list(account=other.account) == []
    with pytest.raises(Order.DoesNotExist):
        pii_access_list(account=other.account, order_id=order.pk)


def test_the_trail_outlives_the_user(make_user: Any) -> None:
    user = make_user()
    order = make_order(user.account)
    pii_access_record(account=user.account, user=user, order_id=order.pk, channel="panel")
    account = user.account
    user.delete()
    [row] = pii_access_list(account=account)
    assert row.user_id is None and row.user_email.endswith("@example.test")
