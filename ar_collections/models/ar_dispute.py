from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ArDispute(models.Model):
    """An invoice, or part of it, that the customer contests.

    The disputed amount is not chased and bears no fee while the dispute is
    open; the rest of the invoice still is. Accepting it leads to a credit
    note, rejecting it sends the amount back into dunning.
    """

    _name = "ar.dispute"
    _description = "Invoice dispute"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    company_id = fields.Many2one(
        related="move_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        required=True,
        domain="[('company_id', 'in', (company_id, False))]",
        tracking=True,
    )
    amount_disputed = fields.Monetary("Amount in dispute", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        default=lambda self: self.env.user,
        tracking=True,
        help="Who sorts the dispute out with the customer.",
    )
    note = fields.Text()
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        required=True,
        default="open",
        index=True,
        tracking=True,
    )
    date_resolved = fields.Date("Resolved on", readonly=True)
    resolved_by_id = fields.Many2one("res.users", "Resolved by", readonly=True)
    resolution = fields.Text()
    credit_note_id = fields.Many2one(
        "account.move", "Credit note", compute="_compute_credit_note_id"
    )

    _one_open_per_invoice = models.UniqueIndex(
        "(move_id) WHERE state = 'open'",
        "This invoice already has an open dispute: change its amount instead.",
    )

    @api.depends("move_id", "amount_disputed")
    def _compute_display_name(self):
        for dispute in self:
            dispute.display_name = self.env._(
                "Dispute on %(invoice)s", invoice=dispute.move_id.name or ""
            )

    def _compute_credit_note_id(self):
        notes = self.env["account.move"].search(
            [("reversed_entry_id", "in", self.move_id.ids)], order="id desc"
        )
        for dispute in self:
            dispute.credit_note_id = notes.filtered(
                lambda n, d=dispute: n.reversed_entry_id == d.move_id
            )[:1]

    @api.constrains("amount_disputed", "move_id")
    def _check_amount_disputed(self):
        for dispute in self:
            currency = dispute.currency_id
            if currency.compare_amounts(dispute.amount_disputed, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "Amount in dispute on %(invoice)s must be more than zero.",
                        invoice=dispute.move_id.display_name,
                    )
                )
            if (
                currency.compare_amounts(
                    dispute.amount_disputed, dispute.move_id.amount_total
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "Amount in dispute (%(amount)s) cannot be more than the "
                        "invoice total of %(invoice)s (%(total)s).",
                        amount=dispute.amount_disputed,
                        invoice=dispute.move_id.display_name,
                        total=dispute.move_id.amount_total,
                    )
                )
            if dispute.move_id.move_type != "out_invoice":
                raise ValidationError(
                    self.env._(
                        "Only customer invoices can be disputed; %(move)s is not one.",
                        move=dispute.move_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)
        for dispute in disputes:
            dispute._record(
                self.env._(
                    "Disputed %(amount)s: %(reason)s. %(note)s",
                    amount=dispute._format(dispute.amount_disputed),
                    reason=dispute.reason_id.name,
                    note=dispute.note or "",
                ).strip()
            )
        return disputes

    def _format(self, amount):
        return f"{self.currency_id.symbol or ''} {amount:,.2f}".strip()

    def _record(self, note):
        self.ensure_one()
        self.env["ar.followup.action"].create(
            self.move_id._ar_prepare_history_vals("note", note=note)
        )

    @api.model
    def _open_amounts(self, move_ids):
        """{invoice id: amount in open dispute (invoice currency, Decimal)}."""
        if not move_ids:
            return {}
        rows = self.sudo()._read_group(
            [("move_id", "in", list(move_ids)), ("state", "=", "open")],
            ["move_id"],
            ["amount_disputed:sum"],
        )
        result = defaultdict(Decimal)
        for move, amount in rows:
            result[move.id] += Decimal(str(amount or 0))
        return dict(result)

    @api.model
    def _suspended_move_ids(self, moves, today):
        """Invoices whose whole unpaid amount is in open dispute."""
        amounts = self._open_amounts(moves.ids)
        return {
            move.id
            for move in moves
            if move.id in amounts
            and move.currency_id.compare_amounts(
                float(amounts[move.id]), move.amount_residual
            )
            >= 0
        }

    def _check_open(self):
        for dispute in self:
            if dispute.state != "open":
                raise UserError(
                    self.env._(
                        "%(dispute)s is already resolved.",
                        dispute=dispute.display_name,
                    )
                )

    def _resolve(self, state, note):
        self._check_open()
        self.write(
            {
                "state": state,
                "date_resolved": fields.Date.context_today(self),
                "resolved_by_id": self.env.uid,
            }
        )
        for dispute in self:
            dispute._record(note(dispute))

    def action_accept(self):
        """The customer is right: record it and open the credit note wizard."""
        self.ensure_one()
        self._resolve(
            "accepted",
            lambda d: self.env._(
                "Dispute accepted (%(amount)s): a credit note is due. %(why)s",
                amount=d._format(d.amount_disputed),
                why=d.resolution or "",
            ).strip(),
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit note"),
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": self.move_id.ids,
                "active_id": self.move_id.id,
                "default_reason": self.env._(
                    "Dispute accepted: %(reason)s", reason=self.reason_id.name
                ),
            },
        }

    def action_reject(self):
        """The customer owes the amount: back into dunning."""
        self._resolve(
            "rejected",
            lambda d: self.env._(
                "Dispute rejected (%(amount)s): chased again. %(why)s",
                amount=d._format(d.amount_disputed),
                why=d.resolution or "",
            ).strip(),
        )
        return True
