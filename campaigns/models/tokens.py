"""Unguessable tokens for links sent by email (invitations, managing a booking, offers)."""

import secrets


def new_token():
    # 32 random bytes, URL-safe: 256 bits of entropy, 43 characters.
    return secrets.token_urlsafe(32)
