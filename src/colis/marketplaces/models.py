"""State the marketplace connectors share between every worker: rate-limit buckets and
cached access tokens. Neither is tenant data; both may be deleted at any time."""

from __future__ import annotations

from django.db import models

from colis.common.fields import EncryptedTextField


class RateBucket(models.Model):
    """A token bucket for one (seller, application, operation). `tokens` may go negative:
    each negative token is a reservation a worker is sleeping off."""

    key = models.CharField(max_length=255, unique=True)
    rate = models.FloatField()  # tokens per second
    burst = models.FloatField()
    tokens = models.FloatField()
    stamp = models.FloatField()  # epoch seconds of the last update

    def __str__(self) -> str:
        return self.key


class CachedAccessToken(models.Model):
    """An LWA access token, shared across workers, encrypted at rest. Keyed by a hash of the
    (client id, refresh token) pair: no secret in the key."""

    key_hash = models.CharField(max_length=64, unique=True)
    access_token = EncryptedTextField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key_hash[:12]
