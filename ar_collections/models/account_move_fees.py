from odoo import api, fields, models


class AccountMove(models.Model):
    """Late fees of a customer invoice: the fees charged on it, what today's
    run would charge, and the fee documents themselves."""

    # One file per job: account.move is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "account.move"

    ar_is_fee_document = fields.Boolean(
        "Late fee document",
        copy=False,
        readonly=True,
        help="A late fee invoice or its waiver: never charged fees itself.",
    )
    ar_fee_source_move_id = fields.Many2one(
        "account.move",
        "Late fee on",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    ar_fee_ids = fields.One2many("ar.fee", "move_id", "Late fees")
    ar_fee_count = fields.Integer(compute="_compute_ar_fee_count")
    ar_fee_preview = fields.Text(
        "Fees if charged today", compute="_compute_ar_fee_preview"
    )

    @api.depends("ar_fee_ids")
    def _compute_ar_fee_count(self):
        for move in self:
            move.ar_fee_count = len(move.ar_fee_ids)

    def _compute_ar_fee_preview(self):
        for move in self:
            move.ar_fee_preview = move._ar_fee_preview_text()

    def _ar_fee_preview_text(self):
        """The fees today's run would charge on this invoice, explained."""
        self.ensure_one()
        if not self.id or self.move_type != "out_invoice" or self.state != "posted":
            return False
        today = self.env["ar.followup.run"]._company_today(self.company_id)
        batch = self.env["ar.followup.run.batch"].with_company(self.company_id)
        decisions = batch._decide(self.company_id, today, self.commercial_partner_id)
        levels = {
            d.invoice_id: self.env["ar.followup.level"].browse(d.level_id)
            for customer in decisions
            for d in customer.moving
            if d.invoice_id == self.id
        }
        charges = self.env["ar.fee"]._due_charges(self, today, levels)
        if not charges:
            return self.env._("No fee or interest would be charged today.")
        explain = self.env["ar.fee"]._explain
        return "\n".join(
            explain(charge, rule, self) for charge, rule, _m, _l in charges
        )

    def _ar_fee_chargeable(self, today):
        """Invoices that may carry late fees today.

        Unpaid customer invoices chased today (``ar.chase.status``: not
        excluded, handed over, suspended by a dispute, promise, plan or reason,
        nor snoozed); not fee documents, nor for customers who are never
        charged fees. Fees are charged on invoices only: an opening balance
        entry is chased, but the fee law's basis is the invoice.
        """
        candidates = self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_invoice"
                and not m.ar_is_fee_document
                and m.ar_date_due
                and m.currency_id.compare_amounts(m.amount_residual, 0) > 0
                and not m.commercial_partner_id.ar_never_charge_fees
            )
        )
        return self.env["ar.chase.status"]._chased(candidates, today)

    def action_ar_open_fees(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.ar_fee_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {}
        return action
