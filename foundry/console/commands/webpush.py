"""``webpush:vapid``: make the VAPID key pair Web Push needs."""

from __future__ import annotations

from foundry.console.output import Output
from foundry.notifications.push.vapid import VapidKeys

__all__ = ["webpush_vapid"]


def webpush_vapid() -> None:
    """Generate a VAPID key pair and print it as .env lines.

    Put both lines in the environment (or .env) of every server and worker. Changing the pair
    later invalidates every browser's subscription: browsers must subscribe again with the new
    public key.
    """
    output = Output()
    keys = VapidKeys.generate()
    output.line(f"VAPID_PUBLIC_KEY={keys.public_key}")
    output.line(f"VAPID_PRIVATE_KEY={keys.private_key}")
