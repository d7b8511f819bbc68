"""Writes of notifications: create once (a UNIQUE dedupe key), e-mail after commit, mark read.

E-mails go through `NotificationEmail` rows inserted in the notification's transaction. After
commit a task sends each one; a row left unsent (a crash, a lost task) is sent by the next
`notification_emails_send_pending`. Sending takes a lease with a status-conditional UPDATE
and sets `sent_at` in the same transaction as the send: with the outbox backend (a database
table) that is exactly once; with SMTP, only a crash between the server's acceptance and the
commit could repeat one e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from colis.common import clock
from colis.notifications import messages
from colis.notifications.models import Notification, NotificationEmail

log = logging.getLogger("colis.notifications")

EMAIL_LEASE = dt.timedelta(minutes=5)
MAX_EMAIL_ATTEMPTS = 10


class NotificationNotFound(Exception):
    """Not this user's notification, or none: the same answer."""


def _owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def notification_create(
    *,
    dedupe_key: str,
    kind: str,
    title_key: str,
    body_key: str,
    params: dict[str, Any],
    email_to: Iterable[Any],
    account: Any = None,
    user: Any = None,
    integration: Any = None,
    now: dt.datetime | None = None,
) -> Notification | None:
    """Insert a notification and its e-mails once. None when `dedupe_key` already exists
    (another sweep, worker or process made it): the UNIQUE key is the guard, not a read.

    Call it inside or outside a transaction: it opens a savepoint, so a duplicate leaves the
    caller's transaction usable. E-mails are sent after the outermost commit."""
    now = now or clock.now()
    recipients = [u for u in email_to if getattr(u, "email", "")]
    try:
        with transaction.atomic():
            row = Notification.objects.create(
                account=account,
                user=user,
                kind=kind,
                integration=integration,
                title_key=title_key,
                body_key=body_key,
                params=params,
                dedupe_key=dedupe_key[:200],
                created_at=now,
            )
            emails = NotificationEmail.objects.bulk_create(
                [NotificationEmail(notification=row, user=u, created_at=now) for u in recipients]
            )
    except IntegrityError:
        if not Notification.objects.filter(dedupe_key=dedupe_key[:200]).exists():
            raise
        return None
    ids = [e.pk for e in emails if e.pk is not None]
    if not ids:  # some backends do not return ids from bulk_create
        ids = list(NotificationEmail.objects.filter(notification=row).values_list("id", flat=True))
    transaction.on_commit(lambda: _enqueue_emails(ids))
    return row


def _enqueue_emails(ids: list[int]) -> None:
    from colis.notifications.tasks import notification_email_send_task

    for email_id in ids:
        try:
            notification_email_send_task(email_id)
        except Exception:  # the queue is down: the next sweep sends it
            log.warning(
                "could not enqueue notification e-mail %s; the sweep will send it", email_id
            )


def _render_email(email: NotificationEmail) -> tuple[str, str, str]:
    n = email.notification
    language = getattr(email.user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        title = messages.render(n.title_key, n.params, language)
        body = messages.render(n.body_key, n.params, language)
        context = {
            "title": title,
            "body": body,
            "user": email.user,
            "panel_url": settings.COLIS_BASE_URL + "/notifications/",
            "shops_url": settings.COLIS_BASE_URL + "/settings/shops/",
            "notification": n,
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        text = render_to_string("notifications/email/body.txt", context)
    return " ".join(subject.split()), text, language


def notification_email_send(*, email_id: int, now: dt.datetime | None = None) -> bool:
    """Send one owed e-mail if nobody holds it and it is unsent. True when this call sent it."""
    now = now or clock.now()
    owner = _owner()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    taken = (
        NotificationEmail.objects.filter(
            free, pk=email_id, sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS
        ).update(lease_owner=owner, lease_until=now + EMAIL_LEASE)
        == 1
    )
    if not taken:
        return False
    email = NotificationEmail.objects.select_related("notification", "user").get(pk=email_id)
    subject, text, _language = _render_email(email)
    try:
        with transaction.atomic():
            EmailMessage(
                subject=subject,
                body=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.user.email],
            ).send()
            done = NotificationEmail.objects.filter(
                pk=email_id, lease_owner=owner, sent_at__isnull=True
            ).update(sent_at=clock.now(), lease_owner="", lease_until=None)
            if done != 1:  # the lease lapsed and another worker took it: undo ours
                raise _LeaseLost
    except _LeaseLost:
        return False
    except Exception as exc:
        log.warning("notification e-mail %s not sent: %s", email_id, type(exc).__name__)
        NotificationEmail.objects.filter(pk=email_id, lease_owner=owner).update(
            attempts=email.attempts + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            lease_owner="",
            lease_until=None,
        )
        return False
    return True


class _LeaseLost(Exception):
    pass


def notification_emails_send_pending(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send the owed e-mails nobody holds (a crash, a lost task); the number sent."""
    now = now or clock.now()
    ids = list(
        NotificationEmail.objects.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now),
            sent_at__isnull=True,
            attempts__lt=MAX_EMAIL_ATTEMPTS,
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(1 for email_id in ids if notification_email_send(email_id=email_id, now=now))


def _visible(user: Any) -> Q:
    scope = Q(user=user)
    if getattr(user, "account_id", None):
        scope |= Q(user__isnull=True, account_id=user.account_id)
    return scope


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of this user's notifications read (once: the first reading time stays)."""
    row = Notification.objects.filter(_visible(user), pk=notification_id).first()
    if row is None:
        raise NotificationNotFound("Not found.")
    now = clock.now()
    if Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now):
        row.read_at = now
    else:
        row.refresh_from_db(fields=["read_at"])
    return row


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of this user read; the number marked."""
    return Notification.objects.filter(_visible(user), read_at__isnull=True).update(
        read_at=clock.now()
    )
