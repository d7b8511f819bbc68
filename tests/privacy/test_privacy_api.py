"""/api/v1/privacy/: retention window, archive key, purge audit, PII access trail."""

from __future__ import annotations

from typing import Any

import pytest

from colis.privacy.services import pii_access_record, privacy_purge_all
from tests.privacy.conftest import delivered, make_order

pytestmark = pytest.mark.django_db

NOT_FOUND = {"errors": [{"code": "not_found", "message": "Not found.", "field": None}]}


def test_retention_get_and_put(api: Any) -> None:
    assert api.get("/api/v1/privacy/retention").json() == {"days": 30, "max_days": 30}
    response = api.put("/api/v1/privacy/retention", {"days": 14})
    assert response.status_code == 200 and response.json()["days"] == 14
    assert api.get("/api/v1/privacy/retention").json()["days"] == 14


@pytest.mark.parametrize("days", [31, 365, -1])
def test_retention_never_longer(api: Any, days: int) -> None:
    response = api.put("/api/v1/privacy/retention", {"days": days})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "days"
    assert api.get("/api/v1/privacy/retention").json()["days"] == 30  # unchanged


def test_retention_wrong_type(api: Any) -> None:
    response = api.put("/api/v1/privacy/retention", {"days": "a month"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "days"


def test_archive_key_lifecycle(api: Any, identity: Any, archive_dir: Any) -> None:
    assert api.get("/api/v1/privacy/archive-key").json()["public_key"] is None

    bad = api.put("/api/v1/privacy/archive-key", {"public_key": "age1nope"})
    assert bad.status_code == 400
    [error] = bad.json()["errors"]
    assert error["field"] == "public_key" and error["code"] == "invalid_age_key"

    secret = api.put("/api/v1/privacy/archive-key", {"public_key": str(identity)})
    assert secret.status_code == 400 and "private key" in secret.json()["errors"][0]["message"]
    assert str(identity) not in secret.content.decode()  # never echoed back

    public = str(identity.to_public())
    ok = api.put("/api/v1/privacy/archive-key", {"public_key": public})
    assert ok.status_code == 200
    body = ok.json()
    assert body["public_key"] == public and body["set_at"] and body["waiting"] is False

    assert api.delete("/api/v1/privacy/archive-key").status_code == 204
    assert api.get("/api/v1/privacy/archive-key").json()["public_key"] is None


def test_archive_key_shows_why_the_purge_waits(
    api: Any, identity: Any, settings: Any, tmp_path: Any
) -> None:
    (tmp_path / "file").write_text("")
    settings.COLIS_ARCHIVE_DIR = str(tmp_path / "file" / "archives")
    body = api.put("/api/v1/privacy/archive-key", {"public_key": str(identity.to_public())}).json()
    assert body["waiting"] is True
    assert body["status"].startswith("archive not writable: ")


def test_purges_are_counts_of_this_account_only(api: Any, make_user: Any, fake_clock: Any) -> None:
    account = api.user.account
    for _ in range(3):
        make_order(account, **delivered(40))
    other = make_user().account
    make_order(other, **delivered(40))
    privacy_purge_all()

    [run] = api.get("/api/v1/privacy/purges").json()
    assert run["orders_purged"] == 3 and run["retention_days"] == 30
    assert set(run) == {
        "run_id",
        "started_at",
        "finished_at",
        "retention_days",
        "orders_purged",
        "orders_archived",
        "archive_files",
    }


def test_pii_access_list(api: Any, make_user: Any) -> None:
    account = api.user.account
    order = make_order(account)
    pii_access_record(account=account, user=api.user, order_id=order.pk, channel="panel")
    rows = api.get("/api/v1/privacy/pii-access").json()
    assert [(r["order_id"], r["channel"], r["user_email"]) for r in rows] == [
        (order.pk, "panel", api.user.email)
    ]
    assert len(api.get(f"/api/v1/privacy/pii-access?order_id={order.pk}").json()) == 1

    # Another account's order: the same 404 as a missing one.
    foreign = make_order(make_user().account)
    response = api.get(f"/api/v1/privacy/pii-access?order_id={foreign.pk}")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert api.get("/api/v1/privacy/pii-access?order_id=999999").json() == NOT_FOUND


def test_requires_authentication(client: Any) -> None:
    for path in ("retention", "archive-key", "purges", "pii-access"):
        response = client.get(f"/api/v1/privacy/{path}")
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "unauthorized"
