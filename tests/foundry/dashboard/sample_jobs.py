"""Jobs the dashboard tests queue and fail."""

from __future__ import annotations

from foundry.jobs.job import Job
from foundry.jobs.secure import SecureJob

__all__ = ["ChargeCard", "SendInvoice"]


class SendInvoice(Job):
    """A plain job that fails on its only try."""

    tries = 1

    def __init__(self, invoice: int) -> None:
        self.invoice = invoice

    async def handle(self) -> None:
        raise RuntimeError(f"mail server refused invoice {self.invoice}")


class ChargeCard(SecureJob):
    """A secure job whose card token is encrypted in the payload; fails on its only try."""

    tries = 1

    def __init__(self, customer: str, card_token: str) -> None:
        super().__init__()
        self.customer = customer
        self.card_token = card_token
        self.set_sensitive_fields(["card_token"])

    async def handle(self) -> None:
        raise ValueError("card declined")
