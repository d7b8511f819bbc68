"""The age tax archive: key validation, waiting when it cannot be written, `colis archive decrypt`."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyrage
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from colis.privacy.archive import archive_files, archive_root
from colis.privacy.selectors import privacy_status
from colis.privacy.services import (
    TOMBSTONE,
    archive_key_delete,
    archive_key_set,
    privacy_purge_all,
)
from tests.privacy.conftest import PII, delivered, make_order, pii_of

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "starts with age1"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", "starts with age1"),
        ("age1notavalidkey", "Not a valid age public key"),
        ("AGE-SECRET-KEY-1QQQQ", "private key"),
    ],
)
def test_an_invalid_key_is_a_clear_field_error(account: Any, key: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        archive_key_set(account=account, public_key=key)
    errors = info.value.error_dict["public_key"]
    assert errors[0].code == "invalid_age_key"
    assert message in errors[0].messages[0]
    assert not privacy_status(account=account).archive_enabled


def test_a_real_private_key_is_refused(account: Any, identity: Any) -> None:
    with pytest.raises(ValidationError, match="private key"):
        archive_key_set(account=account, public_key=str(identity))


def test_without_a_key_nothing_is_archived(
    account: Any, fake_clock: Any, archive_dir: Path
) -> None:
    order = make_order(account, **delivered(31))
    assert privacy_purge_all().archived == 0
    assert pii_of(order) == TOMBSTONE
    assert not archive_dir.exists()


def test_a_missing_folder_is_created(
    account: Any, fake_clock: Any, settings: Any, tmp_path: Path, identity: Any
) -> None:
    settings.COLIS_ARCHIVE_DIR = str(tmp_path / "not" / "yet" / "there")
    archive_key_set(account=account, public_key=str(identity.to_public()))
    make_order(account, **delivered(31))
    assert privacy_purge_all().archived == 1
    assert len(archive_files(tmp_path / "not" / "yet" / "there" / str(account.pk))) == 1


def test_an_unwritable_archive_makes_that_account_wait_and_says_why(
    account: Any,
    other_account: Any,
    fake_clock: Any,
    settings: Any,
    tmp_path: Path,
    identity: Any,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.COLIS_ARCHIVE_DIR = str(blocker / "archives")  # cannot be created
    archive_key_set(account=account, public_key=str(identity.to_public()))
    mine = [make_order(account, **delivered(31)) for _ in range(3)]
    theirs = make_order(other_account, **delivered(31))  # no archive key: goes on

    result = privacy_purge_all(batch_size=2)

    assert result.per_account == {other_account.pk: 1}
    assert set(result.waiting) == {account.pk}
    assert pii_of(theirs) == TOMBSTONE
    for order in mine:
        assert pii_of(order) == PII and order.pii_purged_at is None
    status = privacy_status(account=account)
    assert status.archive_waiting
    assert status.message.startswith("archive not writable: ")
    assert "Not a directory" in status.message
    assert status.orders_due == 3

    # Once the folder is fixed, the next run finishes and the status clears.
    settings.COLIS_ARCHIVE_DIR = str(tmp_path / "archives")
    assert privacy_purge_all().per_account == {account.pk: 3}
    status = privacy_status(account=account)
    assert not status.archive_waiting and status.orders_due == 0
    assert status.archive_last_written_at is not None


def test_a_disk_error_makes_the_purge_wait(
    account: Any, fake_clock: Any, archive_dir: Path, identity: Any, monkeypatch: Any
) -> None:
    archive_key_set(account=account, public_key=str(identity.to_public()))
    order = make_order(account, **delivered(31))

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("colis.privacy.archive.os.fsync", full)
    result = privacy_purge_all()
    monkeypatch.undo()

    assert result.purged == 0 and account.pk in result.waiting
    assert pii_of(order) == PII
    assert "No space left on device" in privacy_status(account=account).message
    assert archive_files(archive_dir / str(account.pk)) == []  # no half-written file left


def test_a_key_set_on_an_unwritable_folder_shows_at_once(
    account: Any, settings: Any, tmp_path: Path, identity: Any
) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("")
    settings.COLIS_ARCHIVE_DIR = str(blocker / "x")
    archive_key_set(account=account, public_key=str(identity.to_public()))
    assert privacy_status(account=account).message.startswith("archive not writable: ")
    archive_key_delete(account=account)
    status = privacy_status(account=account)
    assert not status.archive_enabled and not status.archive_waiting


def test_the_archive_is_never_under_a_served_folder(settings: Any) -> None:
    root = archive_root().resolve()
    for served in (django_settings.MEDIA_ROOT, django_settings.STATIC_ROOT):
        assert not root.is_relative_to(Path(served).resolve())


def _archive_one(account: Any, identity: Any, archive_dir: Path) -> Path:
    archive_key_set(account=account, public_key=str(identity.to_public()))
    make_order(account, **delivered(31))
    make_order(account, **delivered(40))
    privacy_purge_all()
    return archive_dir / str(account.pk)


def test_decrypt_command_prints_json_lines(
    account: Any, fake_clock: Any, archive_dir: Path, identity: Any, monkeypatch: Any
) -> None:
    folder = _archive_one(account, identity, archive_dir)
    [path] = archive_files(folder)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"# created: today\n{identity}\n"))
    out = io.StringIO()
    call_command("archive", "decrypt", str(path), stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 2
    assert {r["buyer_name"] for r in records} == {PII["buyer_name"]}

    # Wrong key: a clear error, nothing printed.
    monkeypatch.setattr(sys, "stdin", io.StringIO(str(pyrage.x25519.Identity.generate())))
    with pytest.raises(CommandError, match="cannot decrypt"):
        call_command("archive", "decrypt", str(path), stdout=io.StringIO())
    monkeypatch.setattr(sys, "stdin", io.StringIO("age1notakey"))
    with pytest.raises(CommandError, match="AGE-SECRET-KEY"):
        call_command("archive", "decrypt", str(path), stdout=io.StringIO())


def test_colis_archive_decrypt_end_to_end(
    account: Any, fake_clock: Any, archive_dir: Path, identity: Any, tmp_path: Path
) -> None:
    """The real command line, the key on standard input, a whole account folder."""
    folder = _archive_one(account, identity, archive_dir)
    colis = Path(sys.executable).with_name("colis")
    env = {**os.environ, "COLIS_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)  # decrypting needs no database
    run = subprocess.run(
        [str(colis), "archive", "decrypt", str(folder)],
        input=f"{identity}\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == 2
    assert records[0]["recipient"]["lines"] == ["Kungsgatan 47", "Lägenhet 1102"]
