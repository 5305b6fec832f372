"""API clients (machines) and their short-lived bearer tokens (issue #8).

A service admin registers a client with a name, scopes and optionally some prisons. The client exchanges its id and
secret for a bearer token at POST /api/oauth/token (OAuth2 client credentials). Secrets and tokens are random,
high-entropy strings, so they are stored as SHA-256 digests: a slow password hash adds nothing against guessing and
would cost every token exchange. Each client acts through its own service-account user, so the audit trail and the
model history name the client.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from api.scopes import SCOPES


class ApiClient(models.Model):
    name = models.CharField(max_length=80, unique=True)
    client_id = models.CharField("client id", max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the client secret, hex.")
    scopes = models.JSONField(default=list, blank=True, help_text="Scope names from api.scopes.SCOPES.")
    prisons = models.ManyToManyField(
        "cases.Prison",
        blank=True,
        related_name="+",
        help_text="If any are chosen, the client sees only these prisons; if none, every prison.",
    )
    rate_limit_per_minute = models.PositiveIntegerField(default=1200)
    is_active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API client"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_limit_per_minute__gte=1) & models.Q(rate_limit_per_minute__lte=100_000),
                name="api_client_rate_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def scope_labels(self) -> list[str]:
        return [SCOPES.get(s, s) for s in self.scopes]


class ApiToken(models.Model):
    """A bearer token issued to a client; valid until ``expires_at``."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="api_token_expires"),
        ]

    def __str__(self) -> str:
        return f"Token for {self.client} until {self.expires_at:%Y-%m-%d %H:%M}"
