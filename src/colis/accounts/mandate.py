"""The SEPA Core direct-debit mandate text that a seller accepts, versioned.

The text is legal wording: what a seller accepted must be reproducible word for word
from the version stored on the mandate, so both languages live here as constants rather
than in the translation catalogue (which may change between releases). A new wording
gets a new version; old versions stay.
"""

from __future__ import annotations

from dataclasses import dataclass

CREDITOR_NAME = "colis"
# Placeholder SEPA creditor identifier: an operator replaces it with the one its bank assigns.
CREDITOR_IDENTIFIER = "XX00ZZZ000000000000"

MANDATE_TEXT_VERSION = "2026-01"

_TEXTS: dict[str, dict[str, str]] = {
    "2026-01": {
        "en": (
            "SEPA Core Direct Debit Mandate. Creditor: {creditor}, creditor identifier {creditor_id}. "
            "By accepting this mandate, you authorise (A) {creditor} to send instructions to your "
            "bank to debit your account and (B) your bank to debit your account in accordance with "
            "the instructions from {creditor}. As part of your rights, you are entitled to a refund "
            "from your bank under the terms and conditions of your agreement with your bank. A "
            "refund must be claimed within 8 weeks starting from the date on which your account was "
            "debited. Your rights are explained in a statement that you can obtain from your bank."
        ),
        "fr": (
            "Mandat de prélèvement SEPA Core. Créancier : {creditor}, identifiant créancier "
            "{creditor_id}. En acceptant ce mandat, vous autorisez (A) {creditor} à envoyer des "
            "instructions à votre banque pour débiter votre compte, et (B) votre banque à débiter "
            "votre compte conformément aux instructions de {creditor}. Vous bénéficiez du droit "
            "d'être remboursé par votre banque selon les conditions décrites dans la convention que "
            "vous avez passée avec elle. Une demande de remboursement doit être présentée dans les "
            "8 semaines suivant la date de débit de votre compte. Vos droits sont expliqués dans un "
            "document que vous pouvez obtenir auprès de votre banque."
        ),
    },
}

MANDATE_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class MandateText:
    version: str
    language: str
    text: str


def mandate_text(*, language: str, version: str = MANDATE_TEXT_VERSION) -> MandateText:
    """The mandate wording in a language (English when the language has no text)."""
    language = (language or "en")[:2].lower()
    if language not in MANDATE_LANGUAGES:
        language = "en"
    text = _TEXTS[version][language].format(creditor=CREDITOR_NAME, creditor_id=CREDITOR_IDENTIFIER)
    return MandateText(version=version, language=language, text=text)
