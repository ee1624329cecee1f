"""Pure rules of ar_collections: no Odoo import, plain values in and out."""

from .dates import local_today
from .levels import (
    Decision,
    InvoiceState,
    LevelSpec,
    PartnerState,
    PolicySpec,
    cadence_date,
    decide_invoice,
    decide_partner,
    next_action_date,
    quiet_until,
)

__all__ = [
    "Decision",
    "InvoiceState",
    "LevelSpec",
    "PartnerState",
    "PolicySpec",
    "cadence_date",
    "decide_invoice",
    "decide_partner",
    "local_today",
    "next_action_date",
    "quiet_until",
]
