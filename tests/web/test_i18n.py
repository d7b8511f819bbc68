"""Every user-visible string exists in French, and the panel speaks it."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from colis.accounts.models import User

LOCALE = Path(__file__).resolve().parents[2] / "src" / "colis" / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for msgid/msgstr/plurals/flags, no extra dependency."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            if current is None:
                current = Entry(line=number)
            current.obsolete = True
            continue
        if line.startswith("#,"):
            if current is not None and (current.msgid or current.msgstr):
                flush()
            current = current or Entry(line=number)
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if current is not None and (current.msgid or current.msgstr):
                flush()
            current = current or Entry(line=number)
            continue
        current = current or Entry(line=number)
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation without a keyword"
            keyword, rest = "", line
        if keyword == "msgid":
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            target = ("msgid_plural", 0)
            current.msgid_plural = ""
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            target = ("msgstr", index)
            current.msgstr.setdefault(index, "")
        elif keyword == "msgctxt":
            target = ("msgctxt", 0)
        elif keyword:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
        text = ast.literal_eval(rest)
        name, index = target  # type: ignore[misc]
        if name == "msgid":
            current.msgid += text
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + text
        elif name == "msgstr":
            current.msgstr[index] += text
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + text
    flush()
    return entries


def messages() -> list[Entry]:
    return [e for e in parse_po(PO) if e.msgid and not e.obsolete]


def test_the_french_catalogue_exists_and_is_compiled() -> None:
    assert PO.is_file(), "run: cd src/colis && colis makemessages -l fr"
    assert MO.is_file(), "run: cd src/colis && colis compilemessages (the .mo is committed)"
    assert len(messages()) > 100


def test_the_compiled_catalogue_matches_the_po() -> None:
    """The committed .mo says what the .po says (file times mean nothing after a checkout)."""
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for e in messages():
        if e.msgid_plural is not None:
            got = [catalog.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            want = [e.msgstr.get(0), e.msgstr.get(1)]
        elif e.msgctxt is not None:
            got, want = [catalog.pgettext(e.msgctxt, e.msgid)], [e.msgstr.get(0)]
        else:
            got, want = [catalog.gettext(e.msgid)], [e.msgstr.get(0)]
        if got != want:
            stale.append(f"line {e.line}: {e.msgid!r}")
    assert not stale, "the .mo is stale, run compilemessages:\n" + "\n".join(stale[:20])


def test_no_empty_translation() -> None:
    empty = [
        f"line {e.line}: {e.msgid!r}"
        for e in messages()
        if not all(e.msgstr.values()) or not e.msgstr
    ]
    assert not empty, "untranslated:\n" + "\n".join(empty)


def test_no_fuzzy_translation() -> None:
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages() if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy (check, then remove the flag):\n" + "\n".join(fuzzy)


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    wrong = []
    for e in messages():
        source = pattern.findall(e.msgid)
        if e.msgid_plural is None:
            wrong += [
                e for text in e.msgstr.values() if sorted(pattern.findall(text)) != sorted(source)
            ]
        else:
            # a plural form may leave out the count ("one product"), never invent a placeholder
            allowed = set(source) | set(pattern.findall(e.msgid_plural))
            wrong += [e for text in e.msgstr.values() if not set(pattern.findall(text)) <= allowed]
    assert not wrong, "placeholders differ:\n" + "\n".join(
        f"line {e.line}: {e.msgid!r}" for e in wrong
    )


def test_the_parser_reads_flags_and_plurals(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "a %(n)s"\nmsgstr ""\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] ""\n\n'
        'msgid ""\n"long "\n"text"\nmsgstr "texte long"\n',
        encoding="utf-8",
    )
    entries = [e for e in parse_po(po) if e.msgid]
    assert [e.msgid for e in entries] == ["a %(n)s", "one", "long text"]
    assert "fuzzy" in entries[0].flags and entries[0].msgstr == {0: ""}
    assert entries[1].msgstr == {0: "un", 1: ""}
    assert entries[2].msgstr == {0: "texte long"}


# --- the panel in French -----------------------------------------------------------------

FRENCH = {
    "web:dashboard": ["Premiers pas", "Commandes importées", "Boutiques connectées"],
    "web:orders": ["Commandes importées", "Paramètres"],
    "web:parcels": ["Aucun colis pour le moment"],
    "web:notifications": ["Vous êtes à jour"],
    "web:account": ["Authentification à deux facteurs", "Clés d'API", "Enregistrer la langue"],
    "web:addresses": ["Adresses d'expédition", "Adresse de facturation"],
    "web:direct_debit": ["Prélèvement SEPA", "Titulaire du compte"],
    "web:shops": ["Boutiques connectées"],
}


@pytest.mark.parametrize("name", sorted(FRENCH))
def test_panel_pages_speak_french_with_accept_language(make_user: Any, name: str) -> None:
    # A French seller: signed up from a French browser, so their saved preference is French too
    # (the middleware applies the saved preference; see test_saved_language_wins_over_the_browser).
    user: User = make_user(language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    client.force_login(user)
    html = client.get(reverse(name)).content.decode()
    assert '<html lang="fr"' in html
    for text in [*FRENCH[name], "Aller au contenu", "Navigation principale"]:
        assert text.replace("'", "&#x27;") in html or text in html, f"{text!r} missing on {name}"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("account_login", "Connexion à colis"),
        ("account_signup", "Créez votre compte colis"),
        ("account_reset_password", "Réinitialiser votre mot de passe"),
    ],
)
def test_sign_in_pages_speak_french_with_accept_language(db: Any, name: str, text: str) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse(name)).content.decode()
    assert '<html lang="fr"' in html
    assert text in html


def test_saved_language_wins_over_the_browser(make_user: Any) -> None:
    user: User = make_user(language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert "Commandes importées" in client.get(reverse("web:orders")).content.decode()
    # ... until the visitor picks another language with the switch
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Imported orders" in client.get(reverse("web:orders")).content.decode()
