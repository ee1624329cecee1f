from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools.misc import format_date

from ..engine.plans import promise_outcome
from . import receivable_scope as scope

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("meeting", "In person"),
    ("portal", "Customer page"),
    ("other", "Other"),
]


class ArPromise(models.Model):
    """A customer's promise to pay some invoices by a date.

    While it is open and not yet due (plus the policy's grace days) its
    invoices are not chased. A daily check marks it kept, partially kept or
    broken from the payments actually reconciled with the invoices.
    """

    _name = "ar.promise"
    _description = "Promise to pay"
    _order = "date_promised desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
    move_ids = fields.Many2many(
        "account.move",
        "ar_promise_move_rel",
        "promise_id",
        "move_id",
        "Invoices",
        required=True,
        check_company=True,
    )
    currency_id = fields.Many2one("res.currency", required=True)
    date_promised = fields.Date("Promised date", required=True, index=True)
    amount_promised = fields.Monetary("Promised amount", required=True)
    amount_start = fields.Monetary(
        "Open when promised", readonly=True, help="What the invoices still owed then."
    )
    amount_paid = fields.Monetary(
        "Paid since",
        compute="_compute_amount_paid",
        help="Paid on these invoices since the promise, whatever the payment's origin.",
    )
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    note = fields.Text()
    state = fields.Selection(
        [
            ("open", "Open"),
            ("kept", "Kept"),
            ("partial", "Partially kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        index=True,
        readonly=True,
    )
    date_closed = fields.Date("Closed on", readonly=True)
    user_id = fields.Many2one(
        "res.users", "Recorded by", default=lambda self: self.env.user, readonly=True
    )

    @api.depends("partner_id", "amount_promised", "currency_id", "date_promised")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(partner)s: %(amount)s by %(date)s",
                partner=promise.partner_id.name or "",
                amount=promise.currency_id.format(promise.amount_promised),
                date=format_date(self.env, promise.date_promised),
            )

    @api.depends("move_ids.amount_residual", "amount_start")
    def _compute_amount_paid(self):
        for promise in self:
            left = sum(promise.move_ids.mapped("amount_residual"))
            promise.amount_paid = max(promise.amount_start - left, 0.0)

    @api.constrains("amount_promised", "move_ids", "partner_id", "currency_id")
    def _check_promise(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount_promised, 0) <= 0:
                raise ValidationError(
                    self.env._("The promised amount must be above zero.")
                )
            if promise.move_ids.commercial_partner_id != promise.partner_id:
                raise ValidationError(
                    self.env._(
                        "A promise covers invoices of one customer only (%(partner)s).",
                        partner=promise.partner_id.display_name,
                    )
                )
            if promise.move_ids.currency_id != promise.currency_id:
                raise ValidationError(
                    self.env._(
                        "A promise covers invoices in one currency: record one "
                        "promise per currency."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            promise.amount_start = sum(promise.move_ids.mapped("amount_residual"))
        promises._record("promise")
        promises.move_ids._ar_refresh_pause()
        return promises

    def action_cancel(self):
        self.filtered(lambda p: p.state == "open").write(
            {"state": "cancelled", "date_closed": fields.Date.context_today(self)}
        )
        return True

    # ------------------------------------------------------------------
    # Suspension and the daily check
    # ------------------------------------------------------------------

    @api.model
    def _suspended_move_ids(self, moves, today):
        """Invoices of ``moves`` covered by an open promise not yet due."""
        promises = self.sudo().search(
            [("state", "=", "open"), ("move_ids", "in", moves.ids)]
        )
        suspended = set()
        for promise in promises:
            grace = promise.partner_id._ar_get_policy(promise.company_id).grace_days
            if today <= promise.date_promised + timedelta(days=grace):
                suspended.update(promise.move_ids.ids)
        return suspended & set(moves.ids)

    def _check_outcome(self, today):
        """Close the open promises that are kept or past due."""
        for promise in self.filtered(lambda p: p.state == "open"):
            grace = promise.partner_id._ar_get_policy(promise.company_id).grace_days
            outcome = promise_outcome(
                Decimal(str(promise.amount_promised)),
                Decimal(str(promise.currency_id.round(promise.amount_paid))),
                promise.date_promised,
                today,
                grace,
            )
            if outcome == "open":
                continue
            promise.write({"state": outcome, "date_closed": today})
            if outcome == "kept":
                promise._record("promise_kept")
            else:
                promise._break(outcome)

    def _break(self, outcome):
        """Back into dunning, one level up, and a call for the collector."""
        self.ensure_one()
        open_moves = self.move_ids.filtered(
            lambda m: m.currency_id.compare_amounts(m.amount_residual, 0) > 0
        )
        if outcome == "broken":
            open_moves._ar_escalate_at_next_run(
                scope.company_today(self.env, self.company_id)
            )
        action = self._record("promise_broken")
        partner = self.partner_id.with_company(self.company_id)
        user = partner.ar_collector_id or partner.user_id or self.user_id
        activity = partner.sudo().activity_schedule(
            "ar_collections.mail_activity_type_collection_call",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._(
                "Promise to pay %(state)s: %(promise)s",
                state=dict(self._fields["state"]._description_selection(self.env))[
                    outcome
                ],
                promise=self.display_name,
            ),
            user_id=user.id,
        )
        action.activity_id = activity

    def _record(self, action_type):
        """A history entry about these promises."""
        states = dict(self._fields["state"]._description_selection(self.env))
        return self.env["ar.followup.action"]._record_many(
            [
                {
                    "action_type": action_type,
                    "partner": promise.partner_id,
                    "company": promise.company_id,
                    "moves": promise.move_ids,
                    "note": self.env._(
                        "%(promise)s (%(state)s); paid since: %(paid)s",
                        promise=promise.display_name,
                        state=states[promise.state],
                        paid=promise.currency_id.format(promise.amount_paid),
                    ),
                    "promise_id": promise.id,
                    "amount_due": promise.amount_promised,
                }
                for promise in self
            ]
        )

    @api.model
    def _amount_asked(self, moves):
        """What the customer is being asked to pay on ``moves``.

        Their overdue amount (invoice currency), or everything left to pay when
        none of them is overdue yet: the starting point of a promise.
        """
        return sum(moves.mapped("ar_amount_overdue")) or sum(
            moves.mapped("amount_residual")
        )

    @api.model
    def _check_amount_promised(self, amount, currency):
        """Refuse a promise of nothing before it is recorded."""
        if currency.compare_amounts(amount or 0.0, 0.0) <= 0:
            raise UserError(
                self.env._(
                    "The promised amount must be more than zero: enter what the "
                    "customer promised to pay (%(amount)s was entered).",
                    amount=currency.format(amount or 0.0),
                )
            )

    @api.model
    def _prepare_from_moves(self, moves, **values):
        """Values of a promise for ``moves``: by default everything overdue."""
        if not moves:
            raise UserError(
                self.env._("Select the invoices the customer promised to pay.")
            )
        partner = moves.commercial_partner_id
        if len(partner) > 1:
            raise UserError(
                self.env._("A promise covers invoices of one customer: select one.")
            )
        return {
            "company_id": moves.company_id.id,
            "partner_id": partner.id,
            "currency_id": moves.currency_id[:1].id,
            "move_ids": [Command.set(moves.ids)],
            "amount_promised": self._amount_asked(moves),
            **values,
        }
