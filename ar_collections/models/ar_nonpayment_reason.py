from datetime import timedelta

from odoo import api, fields, models

REASON_CATEGORIES = [
    ("dispute", "Dispute"),
    ("invoice", "Invoice or statement"),
    ("financial", "Financial"),
    ("oversight", "Oversight"),
    ("contact", "Contact"),
    ("behaviour", "Behaviour"),
    ("other", "Other"),
]


class ArNonpaymentReason(models.Model):
    """Why a customer does not pay: reported on, and may pause the chasing."""

    _name = "ar.nonpayment.reason"
    _description = "Non-payment reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(REASON_CATEGORIES, required=True, default="other")
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the reason in every company."
    )
    suspend = fields.Boolean(
        "Suspends chasing",
        help="While this reason is set (and for the days below), the invoice or "
        "customer is not chased and charged no fee.",
    )
    suspend_days = fields.Integer(
        "Suspend for (days)",
        default=0,
        help="Days from when the reason is set; 0 = until the reason is removed.",
    )
    note = fields.Text("What to do")

    _suspend_days_positive = models.Constraint(
        "CHECK(suspend_days >= 0)",
        "“Suspend for (days)” cannot be negative: use 0 to suspend until the "
        "reason is removed.",
    )

    def _suspends_on(self, date_set, today):
        """Whether this reason, set on ``date_set``, still suspends on ``today``."""
        self.ensure_one()
        if not self.suspend:
            return False
        if not self.suspend_days or not date_set:
            return True
        return date_set + timedelta(days=self.suspend_days) > today

    @api.model
    def _suspended_move_ids(self, moves, today):
        """Ids of ``moves`` suspended by a reason on them or on their customer.

        An invoice's reason set by its open dispute does not suspend it: the
        dispute decides (its undisputed rest is still chased).
        """
        result = set()
        by_dispute = {
            (dispute.move_id.id, dispute.reason_id.id)
            for dispute in self.env["ar.dispute"]
            .sudo()
            .search([("move_id", "in", moves.ids), ("state", "=", "open")])
        }
        for move in moves:
            reason = move.ar_reason_id
            if (move.id, reason.id) in by_dispute:
                reason = self.browse()
            if reason and reason._suspends_on(move.ar_date_reason, today):
                result.add(move.id)
                continue
            partner = move.commercial_partner_id
            reason = partner.ar_reason_id
            if reason and reason._suspends_on(partner.ar_date_reason, today):
                result.add(move.id)
        return result

    @api.model
    def _apply(self, reason, partner, moves, note=False):
        """Set ``reason`` (or clear it) on ``moves`` or ``partner`` and record it."""
        today = fields.Date.context_today(self)
        values = {
            "ar_reason_id": reason.id,
            "ar_date_reason": today if reason else False,
        }
        text = (
            self.env._("Non-payment reason: %(reason)s", reason=reason.name)
            if reason
            else self.env._("Non-payment reason cleared")
        )
        if note:
            text = f"{text}. {note}"
        history = self.env["ar.followup.action"]
        if moves:
            moves.sudo().write(values)
            history._record_many(
                [
                    {
                        "action_type": "note",
                        "partner": customer,
                        "company": customer_moves[0].company_id,
                        "moves": customer_moves,
                        "note": text,
                    }
                    for customer, customer_moves in moves.grouped(
                        "commercial_partner_id"
                    ).items()
                ]
            )
        if partner:
            partner = partner.commercial_partner_id
            # Collectors set reasons without the right to edit partners.
            partner.sudo().write(values)
            history._record("note", partner, note=text)
        return True
