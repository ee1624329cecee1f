from odoo import api, fields, models


class AccountMove(models.Model):
    """Collector workspace on the invoice: non-payment reason, disputes,
    hand-over file, and posting for a customer on credit hold."""

    # One file per job: account.move is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move"

    ar_reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        "Non-payment reason",
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    ar_date_reason = fields.Date("Reason set on", copy=False)
    ar_dispute_ids = fields.One2many("ar.dispute", "move_id", "Disputes")
    ar_amount_disputed = fields.Monetary(
        "Amount in dispute",
        compute="_compute_ar_amount_disputed",
        currency_field="currency_id",
        help="Not chased and charged no fee while the dispute is open.",
    )
    ar_partner_credit_hold = fields.Boolean(
        "Customer on credit hold", compute="_compute_ar_partner_credit_hold"
    )
    ar_handover_id = fields.Many2one(
        "ar.handover", "Hand-over file", copy=False, index="btree_not_null"
    )

    def _compute_ar_amount_disputed(self):
        amounts = self.env["ar.dispute"]._open_amounts(self.ids)
        for move in self:
            move.ar_amount_disputed = float(amounts.get(move.id, 0))

    @api.depends("commercial_partner_id", "company_id")
    def _compute_ar_partner_credit_hold(self):
        for move in self:
            move.ar_partner_credit_hold = move.is_sale_document() and bool(
                move.commercial_partner_id.with_company(move.company_id).ar_credit_hold
            )

    def action_ar_open_disputes(self):
        """Disputes of this invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.ar_dispute_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {"default_move_id": self.id}
        return action

    def action_post(self):
        """Posting from the invoice form asks before invoicing a held customer.

        Only the form's button sets ``ar_hold_check``: documents posted by
        code (fees, plan fees) are never held up. Collections managers post
        without the question; their decision is recorded all the same.
        """
        context = self.env.context
        if not context.get("ar_hold_check") or context.get("ar_hold_confirmed"):
            return super().action_post()
        held = self.filtered(
            lambda m: m.move_type == "out_invoice" and m.ar_partner_credit_hold
        )
        if not held:
            return super().action_post()
        if not self.env.user.has_group("ar_collections.ar_collections_group_manager"):
            return held._ar_hold_confirmation_action(self)
        result = super().action_post()
        held._ar_record_hold_decision(posted=True)
        return result

    def _ar_hold_confirmation_action(self, to_post):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer on credit hold"),
            "res_model": "ar.credit.hold.confirm",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_move_ids": to_post.ids,
                "default_held_move_ids": self.ids,
            },
        }

    def _ar_record_hold_decision(self, posted, reason=""):
        """Note, in each customer's history, a post despite (or stopped by) a hold."""
        entries = []
        for move in self:
            if posted:
                note = self.env._(
                    "%(invoice)s posted although the customer is on credit hold "
                    "(decided by %(user)s).",
                    invoice=move.name,
                    user=self.env.user.name,
                )
            else:
                note = self.env._(
                    "Invoice left in draft because the customer is on credit hold "
                    "(decided by %(user)s).",
                    user=self.env.user.name,
                )
            if reason:
                note = self.env._(
                    "%(note)s Reason: %(reason)s", note=note, reason=reason
                )
            entries.append(
                {
                    "action_type": "note",
                    "partner": move.commercial_partner_id,
                    "company": move.company_id,
                    # Left in draft: nothing owed yet, so no invoice line.
                    "moves": move if posted else None,
                    "note": note,
                }
            )
        self.env["ar.followup.action"].sudo()._record_many(entries)
