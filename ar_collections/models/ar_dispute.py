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
        default=lambda self: self._default_reason_id(),
        domain="[('company_id', 'in', (company_id, False))]",
        tracking=True,
        help="Also set as the invoice's non-payment reason while the dispute is open.",
    )
    amount_disputed = fields.Monetary(
        "Amount in dispute",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        help="Starts at what is left to pay on the invoice; lower it when the "
        "customer contests only part of it.",
    )
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

    @api.model
    def _default_reason_id(self):
        """The first reason of the “Dispute” category."""
        return self.env["ar.nonpayment.reason"].search(
            [
                ("category", "=", "dispute"),
                ("company_id", "in", (self.env.company.id, False)),
            ],
            limit=1,
        )

    @api.depends("move_id")
    def _compute_amount_disputed(self):
        for dispute in self:
            dispute.amount_disputed = dispute.move_id.amount_residual

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
                        amount=dispute._format(dispute.amount_disputed),
                        invoice=dispute.move_id.display_name,
                        total=dispute._format(dispute.move_id.amount_total),
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
            dispute._set_invoice_reason()
            dispute._record(
                "dispute",
                self.env._(
                    "Disputed %(amount)s: %(reason)s. %(note)s",
                    amount=dispute._format(dispute.amount_disputed),
                    reason=dispute.reason_id.name,
                    note=dispute.note or "",
                ).strip(),
            )
        disputes.move_id._ar_refresh_pause()
        return disputes

    def write(self, vals):
        result = super().write(vals)
        if "reason_id" in vals:
            for dispute in self.filtered(lambda d: d.state == "open"):
                dispute._set_invoice_reason()
        return result

    def _format(self, amount):
        return self.currency_id.format(amount)

    def _set_invoice_reason(self):
        """The dispute's reason becomes the invoice's non-payment reason.

        While the dispute is open it, not the reason's own suspension, decides
        what is chased: the undisputed rest of the invoice still is.
        """
        self.ensure_one()
        # Collectors record disputes without the right to edit invoices.
        self.move_id.sudo().write(
            {
                "ar_reason_id": self.reason_id.id,
                "ar_date_reason": self.date or fields.Date.context_today(self),
            }
        )

    def _clear_invoice_reason(self):
        """A resolved dispute no longer explains why the invoice is unpaid."""
        for dispute in self:
            move = dispute.move_id.sudo()
            if move.ar_reason_id == dispute.reason_id:
                move.write({"ar_reason_id": False, "ar_date_reason": False})

    def _record(self, action_type, note):
        """A history entry about this dispute, linked to it."""
        self.ensure_one()
        self.env["ar.followup.action"]._record(
            action_type,
            self.move_id.commercial_partner_id,
            moves=self.move_id,
            note=note,
            dispute_id=self.id,
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
        self._clear_invoice_reason()
        for dispute in self:
            dispute._record(f"dispute_{state}", note(dispute))

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
