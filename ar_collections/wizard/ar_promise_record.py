from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ar_promise import CHANNELS


class ArPromiseRecord(models.TransientModel):
    """Record a promise to pay from a customer or a selection of invoices."""

    _name = "ar.promise.record"
    _inherit = "ar.customer.wizard.mixin"
    _description = "Record a promise to pay"

    currency_id = fields.Many2one("res.currency", compute="_compute_amount_default")
    amount_promised = fields.Monetary(
        "Promised amount",
        help="Starts at what is overdue on these invoices; change it to what "
        "the customer promised.",
    )
    date_promised = fields.Date(
        "Promised date",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
    )
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    note = fields.Text()

    @api.depends("move_ids")
    def _compute_amount_default(self):
        for wizard in self:
            wizard.currency_id = (
                wizard.move_ids.currency_id[:1] or self.env.company.currency_id
            )

    @api.onchange("move_ids")
    def _onchange_move_ids(self):
        self.amount_promised = self.env["ar.promise"]._amount_asked(self.move_ids)

    def action_record(self):
        self.ensure_one()
        if self.date_promised < fields.Date.context_today(self):
            raise UserError(
                self.env._("The promised date is in the past: choose today or later.")
            )
        self.env["ar.promise"]._check_amount_promised(
            self.amount_promised, self.currency_id
        )
        values = {
            "date_promised": self.date_promised,
            "amount_promised": self.amount_promised,
            "channel": self.channel,
            "note": self.note,
        }
        promise = self.env["ar.promise"].create(
            self.env["ar.promise"]._prepare_from_moves(self.move_ids, **values)
        )
        return promise._get_records_action(name=self.env._("Promise to pay"))
