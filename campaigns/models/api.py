"""Tokens partners use for the read-only reach API. Only a hash of each token is stored."""

from django.conf import settings
from django.db import models


class PartnerToken(models.Model):
    name = models.CharField(max_length=200, help_text="Who the token is for, e.g. 'Essex Police analysts'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text="First characters, to tell tokens apart."
    )
    authority = models.ForeignKey(
        "cms.Authority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The council whose figures the token reads. Leave empty for the whole partnership's.",
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
