"""Pure rules of ar_collections: no Odoo import, plain values in and out."""

from .dates import local_today
from .errors import EngineError, FeeError, PlanError, PolicyError
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
    "EngineError",
    "FeeError",
    "InvoiceState",
    "LevelSpec",
    "PartnerState",
    "PlanError",
    "PolicySpec",
    "PolicyError",
    "cadence_date",
    "decide_invoice",
    "decide_partner",
    "local_today",
    "next_action_date",
    "quiet_until",
]
