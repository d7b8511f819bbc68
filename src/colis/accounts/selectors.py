"""Reads for accounts: the onboarding state that gates connecting a shop."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from colis.accounts.models import Account, Address, ApiKey, DirectDebitMandate, User

# Step keys, in the order the checklist shows them, with their human names.
ONBOARDING_STEPS = {
    "email_verified": _("Verify your e-mail address"),
    "sender_address": _("Add a sender address"),
    "return_address": _("Add a return address"),
    "billing_address": _("Add a billing address"),
    "direct_debit": _("Set up a SEPA direct debit"),
}


@dataclass(frozen=True)
class OnboardingState:
    email_verified: bool
    sender_address: bool
    return_address: bool
    billing_address: bool
    direct_debit: bool
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict[str, object]:
        return {
            "email_verified": self.email_verified,
            "sender_address": self.sender_address,
            "return_address": self.return_address,
            "billing_address": self.billing_address,
            "direct_debit": self.direct_debit,
            "ready": self.ready,
            "missing": list(self.missing),
        }


def user_email_verified(*, user: User) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def onboarding_state(*, account: Account, user: User) -> OnboardingState:
    kinds = set(Address.objects.filter(account=account).values_list("kind", flat=True).distinct())
    has_sender = Address.Kind.SENDER in kinds
    steps = {
        "email_verified": user_email_verified(user=user),
        "sender_address": has_sender,
        "return_address": Address.Kind.RETURN in kinds
        or (account.return_same_as_sender and has_sender),
        "billing_address": Address.Kind.BILLING in kinds,
        "direct_debit": DirectDebitMandate.objects.filter(
            account=account, state=DirectDebitMandate.State.ACTIVE
        ).exists(),
    }
    missing = [key for key in ONBOARDING_STEPS if not steps[key]]
    return OnboardingState(**steps, missing=missing)


def address_list(*, account: Account, kind: str | None = None) -> list[Address]:
    qs = Address.objects.filter(account=account)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


def address_get(*, account: Account, address_id: int) -> Address:
    """Raises Address.DoesNotExist for another account's address, exactly as for a missing one."""
    return Address.objects.get(account=account, pk=address_id)


def apikey_list(*, account: Account) -> list[ApiKey]:
    return list(ApiKey.objects.filter(account=account).order_by("-created_at"))


class OnboardingIncomplete(Exception):
    """Raised where a finished onboarding is required (connecting a shop); names what is missing."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__("onboarding incomplete: " + ", ".join(self.missing))

    @property
    def labels(self) -> list[str]:
        """The missing steps' human names, in checklist order, in the active language."""
        return [str(ONBOARDING_STEPS[key]) for key in self.missing]

    def message(self) -> str:
        return str(_("Finish onboarding first. Still missing: %(steps)s.")) % {
            "steps": "; ".join(self.labels)
        }


def onboarding_require_ready(*, account: Account, user: User) -> OnboardingState:
    """The onboarding state when it is complete; raises OnboardingIncomplete otherwise."""
    state = onboarding_state(account=account, user=user)
    if not state.ready:
        raise OnboardingIncomplete(state.missing)
    return state


def direct_debit_mandate_active(*, account: Account) -> DirectDebitMandate | None:
    return DirectDebitMandate.objects.filter(
        account=account, state=DirectDebitMandate.State.ACTIVE
    ).first()
