"""A whole year on a driven clock: reminders at exactly 30, 23, 16, 9 and 2 days before
expiry and at no other time, however often the sweep runs (hourly over the last 31 days,
twice at the same instant, from several threads on PostgreSQL); expiry at the end; each
reminder an e-mail per user in their language and one in-app notification."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from colis.integrations.lifecycle import REMINDER_DAYS, integration_lifecycle_sweep, reminder_due
from colis.integrations.models import Integration
from colis.notifications.models import Notification, NotificationEmail
from colis.notifications.selectors import notification_list, notification_unread_count
from tests.helpers.services import on_postgres
from tests.lifecycle.conftest import T0, YEAR, DrivenClock

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def test_reminder_schedule_pure() -> None:
    expires = T0 + YEAR
    assert reminder_due(expires_at=expires, now=expires - 31 * DAY) is None
    assert (
        reminder_due(expires_at=expires, now=expires - 30 * DAY - dt.timedelta(seconds=1)) is None
    )
    assert reminder_due(expires_at=expires, now=expires - 30 * DAY) == 30
    assert reminder_due(expires_at=expires, now=expires - 24 * DAY) == 30
    assert reminder_due(expires_at=expires, now=expires - 23 * DAY) == 23
    assert reminder_due(expires_at=expires, now=expires - 2 * DAY) == 2
    assert reminder_due(expires_at=expires, now=expires - dt.timedelta(seconds=1)) == 2
    assert reminder_due(expires_at=expires, now=expires) is None


@pytest.mark.django_db
def test_a_year_of_sweeps(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    en = make_user(email="anna@example.test")
    fr = make_user(email="francois@example.test", account=en.account, language="fr")
    shop = make_shop(en.account)
    other = make_user(email="other@example.test")
    make_shop(other.account, expires_at=T0 + 2 * YEAR)  # another account, not due this year
    expires = T0 + YEAR
    assert shop.authorized_at == T0 and shop.expires_at == expires

    # Daily for the first 334 days, then every hour of the last 31 days and one past expiry;
    # twice at the same instant on every reminder day.
    runs = 0
    while clock.now() < expires - 31 * DAY:
        integration_lifecycle_sweep()
        runs += 1
        clock.advance(DAY)
    assert Notification.objects.count() == 0
    clock.set(expires - 31 * DAY)
    while clock.now() <= expires + DAY:
        integration_lifecycle_sweep()
        integration_lifecycle_sweep(now=clock.now())  # the same instant again
        runs += 2
        clock.advance(HOUR)
    assert runs > 1800

    reminders = Notification.objects.filter(
        kind=Notification.Kind.AUTHORIZATION_REMINDER, integration=shop
    ).order_by("created_at")
    assert [n.created_at for n in reminders] == [expires - d * DAY for d in REMINDER_DAYS]
    assert [n.params["days"] for n in reminders] == list(REMINDER_DAYS)
    assert all(n.account_id == en.account_id and n.user_id is None for n in reminders)
    expired = Notification.objects.get(kind=Notification.Kind.AUTHORIZATION_EXPIRED)
    assert expired.created_at == expires
    assert Notification.objects.count() == 6  # nothing for the other account

    shop.refresh_from_db()
    assert shop.state == Integration.State.EXPIRED
    assert shop.credentials == {"refresh_token": "Atzr|lifecycle-test-token"}  # kept

    # One e-mail per user per notification, in each user's language, naming the shop,
    # the expiry date and how to renew.
    assert len(mail.outbox) == 12
    assert NotificationEmail.objects.filter(sent_at__isnull=True).count() == 0
    to_anna = [m for m in mail.outbox if m.to == ["anna@example.test"]]
    to_fr = [m for m in mail.outbox if m.to == ["francois@example.test"]]
    assert len(to_anna) == len(to_fr) == 6
    first_en, first_fr = to_anna[0], to_fr[0]
    assert "Bottega DE" in first_en.subject and "March 2, 2027" in first_en.subject
    assert "Renew" in first_en.body and "Connected shops" in first_en.body
    assert "Bottega DE" in first_fr.subject and "2 mars 2027" in first_fr.subject
    assert "Renouveler" in first_fr.body

    # In the panel: one list for the account, in the reader's language.
    assert notification_unread_count(user=fr) == 6
    titles_fr = [v.title for v in notification_list(user=fr, language="fr")]
    assert any("expire le 2 mars 2027" in t for t in titles_fr)
    assert notification_unread_count(user=other) == 0


@pytest.mark.django_db
def test_renewal_before_expiry_starts_the_next_year(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    """Reminders are keyed to the expiry date: after renewal the next year's come again."""
    user = make_user()
    shop = make_shop(user.account)
    clock.set(T0 + YEAR - 30 * DAY)
    integration_lifecycle_sweep()
    renewed_at = clock.advance(HOUR)
    Integration.objects.filter(pk=shop.pk).update(
        authorized_at=renewed_at, expires_at=renewed_at + YEAR
    )
    for when in (T0 + YEAR - 23 * DAY, T0 + YEAR + DAY, renewed_at + YEAR - 30 * DAY):
        clock.set(when)
        integration_lifecycle_sweep()
    shop.refresh_from_db()
    assert shop.state == Integration.State.ACTIVE
    days = list(
        Notification.objects.filter(kind=Notification.Kind.AUTHORIZATION_REMINDER)
        .order_by("created_at")
        .values_list("params__days", flat=True)
    )
    assert days == [30, 30]


@pytest.mark.django_db
def test_a_missed_week_is_not_sent_late(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    """The scheduler was down from 31 to 20 days before: only the 23-day reminder goes."""
    user = make_user()
    make_shop(user.account)
    clock.set(T0 + YEAR - 20 * DAY)
    integration_lifecycle_sweep()
    integration_lifecycle_sweep()
    assert list(Notification.objects.values_list("params__reminder_days", flat=True)) == [23]
    assert Notification.objects.get().params["days"] == 20  # what the reader is told
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_one_reminder(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    """Several workers sweep at the same instant: one notification, one e-mail per user.
    (PostgreSQL: real concurrent transactions; SQLite serializes them.)"""
    if not on_postgres():
        pytest.skip("concurrent writers need PostgreSQL (DATABASE_URL)")
    user = make_user()
    make_user(account=user.account)
    shops = [
        make_shop(user.account, name=f"Shop {i}", marketplace_id=m)
        for i, m in enumerate(["A1PA6795UKMFR9", "APJ6JRA9NG5V4", "A1F83G8C2ARO7P"])
    ]
    errors: list[BaseException] = []

    for days in REMINDER_DAYS:
        when = T0 + YEAR - days * DAY
        barrier = threading.Barrier(6)

        def sweep(when: dt.datetime = when, barrier: threading.Barrier = barrier) -> None:
            try:
                barrier.wait(timeout=10)
                integration_lifecycle_sweep(now=when)
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        clock.set(when)
        threads = [threading.Thread(target=sweep) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    for shop in shops:
        sent = sorted(
            Notification.objects.filter(integration=shop).values_list("params__days", flat=True)
        )
        assert sent == sorted(REMINDER_DAYS)
    assert Notification.objects.count() == 15
    assert NotificationEmail.objects.count() == 30
    assert NotificationEmail.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 30
