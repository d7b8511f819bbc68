"""allauth adapter: every new sign-up gets its own account (tenant)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from colis.accounts.services import account_create_for_user


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            language = getattr(request, "LANGUAGE_CODE", "en")
            if language in {"en", "fr"} and user.language != language:
                user.language = language
                user.save(update_fields=["language"])
            account_create_for_user(user=user)
        return user
