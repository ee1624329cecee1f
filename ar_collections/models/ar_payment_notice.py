from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from . import receivable_scope as scope

SOURCES = [("collector", "Collector"), ("customer_page", "Customer page")]


class ArPaymentNotice(models.Model):
    """A customer says it has paid some invoices: chasing them pauses.

    While it waits and until ``pause_until`` (the policy's “Pause after
    already paid” days), its invoices are not chased (a suspension source of
    ``ar.chase.status``). A daily check marks it matched once the invoices are
    paid, or resumed when the pause ends with something still open: chasing
    resumes and the collector is told.
    """

    _name = "ar.payment.notice"
    _description = "Payment notice"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
    move_ids = fields.Many2many(
        "account.move",
        "ar_payment_notice_move_rel",
        "notice_id",
        "move_id",
        "Invoices",
        required=True,
        check_company=True,
    )
    date_payment = fields.Date("Paid on", required=True)
    currency_id = fields.Many2one("res.currency", required=True)
    amount = fields.Monetary("Amount paid", required=True)
    reference = fields.Char("Payment reference")
    attachment_id = fields.Many2one(
        "ir.attachment", "Remittance advice", ondelete="set null", readonly=True
    )
    pause_until = fields.Date(
        "Not chased until",
        required=True,
        help="The invoices are not chased until this day included, while the "
        "payment reaches the bank statement.",
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting for the payment"),
            ("matched", "Payment received"),
            ("resumed", "No payment: chased again"),
        ],
        required=True,
        default="waiting",
        index=True,
        readonly=True,
        tracking=True,
    )
    source = fields.Selection(
        SOURCES, required=True, default="collector", readonly=True
    )
    user_id = fields.Many2one(
        "res.users", "Collector", help="Who is told when the payment does not come."
    )
    date_closed = fields.Date("Closed on", readonly=True)
    ip_address = fields.Char("Sent from (IP)", readonly=True)
    note = fields.Text()

    @api.depends("partner_id", "amount", "currency_id", "date_payment")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = self.env._(
                "%(partner)s: paid %(amount)s on %(date)s",
                partner=notice.partner_id.name or "",
                amount=notice.currency_id.format(notice.amount),
                date=format_date(self.env, notice.date_payment),
            )

    @api.constrains("amount", "move_ids", "partner_id", "currency_id")
    def _check_notice(self):
        for notice in self:
            if notice.currency_id.compare_amounts(notice.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("The amount paid must be more than zero.")
                )
            if notice.move_ids.commercial_partner_id != notice.partner_id:
                raise ValidationError(
                    self.env._(
                        "A payment notice covers invoices of one customer only "
                        "(%(partner)s).",
                        partner=notice.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("pause_until"):
                vals["pause_until"] = self._default_pause_until(vals)
        notices = super().create(vals_list)
        notices.move_ids._ar_refresh_pause()
        return notices

    @api.model
    def _default_pause_until(self, vals):
        """The company's today plus the policy's pause days."""
        company = self.env["res.company"].browse(
            vals.get("company_id") or self.env.company.id
        )
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        policy = partner._ar_get_policy(company) if partner else False
        days = policy.page_paid_pause_days if policy else 5
        return scope.company_today(self.env, company) + timedelta(days=days)

    # ------------------------------------------------------------------
    # Suspension and the daily check
    # ------------------------------------------------------------------

    @api.model
    def _suspended_move_ids(self, moves, today):
        """Invoices of ``moves`` a waiting notice pauses on ``today``."""
        notices = self.sudo().search(
            [
                ("state", "=", "waiting"),
                ("pause_until", ">=", today),
                ("move_ids", "in", moves.ids),
            ]
        )
        return set(notices.move_ids.ids) & set(moves.ids)

    def _unpaid_moves(self):
        self.ensure_one()
        return self.move_ids.filtered(
            lambda m: m.currency_id.compare_amounts(m.amount_residual, 0) > 0
        )

    def _check_payment(self, today):
        """Matched once every invoice is paid; resumed when the pause is over."""
        for notice in self.filtered(lambda n: n.state == "waiting"):
            unpaid = notice._unpaid_moves()
            if not unpaid:
                notice.write({"state": "matched", "date_closed": today})
                notice._record(
                    "paid_claim_matched",
                    self.env._(
                        "Payment received for %(notice)s", notice=notice.display_name
                    ),
                )
            elif today > notice.pause_until:
                notice.write({"state": "resumed", "date_closed": today})
                notice._resume(unpaid, today)

    def _resume(self, unpaid, today):
        """Chased again from the next run; the collector is told."""
        self.ensure_one()
        still_paused = self.env["ar.chase.status"]._paused_ids(unpaid, today)
        unpaid.filtered(lambda m: m.id not in still_paused).sudo().write(
            {"ar_followup_paused": False, "ar_date_next_action": today}
        )
        text = self.env._(
            "No payment reconciled for %(notice)s by %(date)s: %(invoices)s chased "
            "again.",
            notice=self.display_name,
            date=format_date(self.env, self.pause_until),
            invoices=", ".join(unpaid.mapped("name")),
        )
        action = self._record("paid_claim_resumed", text)
        partner = self.partner_id.with_company(self.company_id)
        user = self.user_id or self.env["ar.customer.answer"]._ar_collector(
            self.partner_id, self.company_id
        )
        action.activity_id = partner.sudo().activity_schedule(
            "ar_collections.mail_activity_type_customer_answer",
            date_deadline=today,
            summary=self.env._(
                "No payment received: %(notice)s", notice=self.display_name
            ),
            note=text,
            user_id=user.id,
        )
        partner.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")
        self.sudo().message_post(body=text, subtype_xmlid="mail.mt_note")

    def _record(self, action_type, note):
        """A history entry about this notice."""
        self.ensure_one()
        return self.env["ar.followup.action"]._record(
            action_type,
            self.partner_id,
            company=self.company_id,
            moves=self.move_ids,
            note=note,
            amount_due=self.amount,
            payment_notice_id=self.id,
        )

    @api.model
    def _cron_check_notices(self):
        """Daily: notices whose payment came, or whose pause is over."""
        notices = self.sudo().search([("state", "=", "waiting")])
        for company, company_notices in notices.grouped("company_id").items():
            today = scope.company_today(self.env, company)
            company_notices.with_company(company)._check_payment(today)
        return True
