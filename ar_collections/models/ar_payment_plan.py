from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..engine.errors import PlanError
from ..engine.plans import Installment, allocate, plan_status, schedule
from .engine_messages import engine_message

FREQUENCIES = [
    ("weekly", "Weekly"),
    ("biweekly", "Every two weeks"),
    ("monthly", "Monthly"),
]


class ArPaymentPlan(models.Model):
    """Overdue invoices of one customer paid in installments.

    Installments are paid by whatever is paid on the plan's invoices,
    oldest installment first. An installment late by more than the policy's
    tolerance breaks the plan; a plan whose invoices are paid completes.
    """

    _name = "ar.payment.plan"
    _description = "Payment plan"
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True
    )
    currency_id = fields.Many2one("res.currency", required=True)
    move_ids = fields.Many2many(
        "account.move",
        "ar_payment_plan_move_rel",
        "plan_id",
        "move_id",
        "Invoices",
        check_company=True,
    )
    installment_ids = fields.One2many(
        "ar.payment.plan.installment", "plan_id", "Installments"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("completed", "Completed"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
    )
    frequency = fields.Selection(FREQUENCIES, default="monthly", required=True)
    date_first = fields.Date("First installment", required=True)
    amount_down_payment = fields.Monetary("Down payment")
    amount_fee = fields.Monetary("Plan fee", readonly=True)
    fee_move_id = fields.Many2one("account.move", "Plan fee invoice", readonly=True)
    amount_total = fields.Monetary("Plan total", readonly=True)
    amount_paid = fields.Monetary(compute="_compute_amounts")
    amount_residual = fields.Monetary("Left to pay", compute="_compute_amounts")
    tolerance_days = fields.Integer(
        "Days late before the plan breaks",
        default=5,
        help="An installment still unpaid this many days after its due date "
        "breaks the plan.",
    )
    reminder_days = fields.Integer(
        "Remind days before",
        default=3,
        help="Email the customer this many days "
        "before each installment (0: no reminder).",
    )
    accepted_by = fields.Char(
        "Accepted by", readonly=True, help="Who accepted the plan for the customer."
    )
    accepted_user_id = fields.Many2one("res.users", "Recorded by", readonly=True)
    date_accepted = fields.Datetime("Accepted on", readonly=True)
    date_closed = fields.Date("Closed on", readonly=True)
    user_id = fields.Many2one(
        "res.users", "Collector", default=lambda self: self.env.user
    )
    note = fields.Text("Terms")

    @api.depends("amount_total", "move_ids.amount_residual")
    def _compute_amounts(self):
        for plan in self:
            left = sum((plan.move_ids | plan.fee_move_id).mapped("amount_residual"))
            if plan.state in ("draft", "cancelled"):
                left = plan.amount_total
            plan.amount_residual = min(left, plan.amount_total)
            plan.amount_paid = plan.amount_total - plan.amount_residual

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for plan in self:
            plan.access_url = f"/my/payment_plans/{plan.id}"
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("ar.payment.plan") or "/"
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Building the schedule
    # ------------------------------------------------------------------

    @api.model
    def _check_moves(self, moves, exclude=None):
        """Invoices a plan can cover, or a clear error."""
        if not moves:
            raise UserError(
                self.env._("Select the overdue invoices to put in the plan.")
            )
        bad = moves.filtered(
            lambda m: m.move_type != "out_invoice" or m.state != "posted"
        )
        if bad:
            raise UserError(
                self.env._(
                    "Only posted customer invoices go into a payment plan: %(moves)s",
                    moves=", ".join(bad.mapped("display_name")),
                )
            )
        paid = moves.filtered(
            lambda m: m.currency_id.compare_amounts(m.amount_residual, 0) <= 0
        )
        if paid:
            raise UserError(
                self.env._(
                    "These invoices are already paid: %(moves)s",
                    moves=", ".join(paid.mapped("name")),
                )
            )
        if len(moves.commercial_partner_id) > 1:
            raise UserError(
                self.env._(
                    "A payment plan covers invoices of one customer; you selected "
                    "%(partners)s.",
                    partners=", ".join(moves.commercial_partner_id.mapped("name")),
                )
            )
        if len(moves.currency_id) > 1:
            raise UserError(
                self.env._(
                    "A payment plan covers invoices in one currency; make one plan "
                    "per currency."
                )
            )
        if len(moves.company_id) > 1:
            raise UserError(
                self.env._("A payment plan covers invoices of one company.")
            )
        busy = self.sudo().search(
            [
                ("state", "in", ("draft", "active")),
                ("move_ids", "in", moves.ids),
                ("id", "not in", exclude.ids if exclude else []),
            ]
        )
        if busy:
            raise UserError(
                self.env._(
                    "Some invoices are already in the payment plan %(plan)s.",
                    plan=", ".join(busy.mapped("name")),
                )
            )

    def _set_schedule(self, installments):
        self.ensure_one()
        self.installment_ids.unlink()
        self.write(
            {
                "installment_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "date_due": inst.date_due,
                            "amount": float(inst.amount),
                        }
                    )
                    for index, inst in enumerate(installments, start=1)
                ]
            }
        )

    @api.model
    def _build_schedule(self, total, currency, first, frequency, **kwargs):
        try:
            return schedule(
                Decimal(str(currency.round(total))),
                first,
                frequency,
                decimals=currency.decimal_places,
                **kwargs,
            )
        except PlanError as error:
            raise UserError(engine_message(self.env, error, currency)) from error

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_accept(self):
        """The customer accepted: the plan starts and its invoices stop being chased."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft plan can be accepted (%(plan)s).", plan=plan.name
                    )
                )
            plan._check_moves(plan.move_ids, exclude=plan)
            plan._post_fee()
            plan.write(
                {
                    "state": "active",
                    "accepted_by": plan.accepted_by or plan.partner_id.name,
                    "accepted_user_id": self.env.uid,
                    "date_accepted": fields.Datetime.now(),
                }
            )
            plan._record("plan")
        self.move_ids._ar_refresh_pause()
        return True

    def _post_fee(self):
        """The plan fee, as a late fee invoice included in the plan."""
        self.ensure_one()
        if self.fee_move_id or self.currency_id.is_zero(self.amount_fee):
            return
        journal, product = self.company_id._ar_fee_journal_and_product()
        fee = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "journal_id": journal.id,
                    "currency_id": self.currency_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_date_due": self.installment_ids[-1:].date_due
                    or self.date_first,
                    "invoice_origin": self.name,
                    "ar_is_fee_document": True,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": self.env._(
                                    "Payment plan fee %(plan)s", plan=self.name
                                ),
                                "quantity": 1,
                                "price_unit": self.amount_fee,
                            }
                        )
                    ],
                }
            )
        )
        fee.action_post()
        self.fee_move_id = fee

    def action_cancel(self):
        for plan in self:
            if plan.state not in ("draft", "active"):
                raise UserError(
                    self.env._(
                        "Only a draft or active plan can be cancelled (%(plan)s).",
                        plan=plan.name,
                    )
                )
        self.write(
            {"state": "cancelled", "date_closed": fields.Date.context_today(self)}
        )
        return True

    def action_print_agreement(self):
        return self.env.ref("ar_collections.action_report_payment_plan").report_action(
            self
        )

    # ------------------------------------------------------------------
    # The daily check
    # ------------------------------------------------------------------

    def _refresh_installments(self):
        """Allocate what was paid on the plan's invoices, oldest first."""
        for plan in self:
            installments = plan.installment_ids.sorted("sequence")
            paid = allocate(
                [Decimal(str(i.amount)) for i in installments],
                Decimal(str(plan.currency_id.round(plan.amount_paid))),
            )
            for installment, part in zip(installments, paid, strict=True):
                if installment.currency_id.compare_amounts(
                    installment.amount_paid, float(part)
                ):
                    installment.amount_paid = float(part)

    def _check_status(self, today):
        """Complete, break or remind the active plans."""
        for plan in self.filtered(lambda p: p.state == "active"):
            plan._refresh_installments()
            installments = plan.installment_ids.sorted("sequence")
            status, _late = plan_status(
                [Installment(i.date_due, Decimal(str(i.amount))) for i in installments],
                Decimal(str(plan.currency_id.round(plan.amount_paid))),
                today,
                plan.tolerance_days,
            )
            if status == "completed" or plan.currency_id.is_zero(plan.amount_residual):
                plan.write({"state": "completed", "date_closed": today})
                plan._record("plan_completed")
            elif status == "broken":
                plan._break(today)
            else:
                plan._send_installment_emails(today)

    def _break(self, today):
        """Back into dunning one level up; the collector calls, the customer is told."""
        self.ensure_one()
        self.write({"state": "broken", "date_closed": today})
        self.move_ids.filtered(
            lambda m: m.currency_id.compare_amounts(m.amount_residual, 0) > 0
        )._ar_escalate_at_next_run(today)
        action = self._record("plan_broken")
        partner = self.partner_id.with_company(self.company_id)
        user = partner.ar_collector_id or self.user_id or partner.user_id
        action.activity_id = partner.sudo().activity_schedule(
            "ar_collections.mail_activity_type_collection_call",
            date_deadline=today,
            summary=self.env._("Payment plan %(plan)s broken", plan=self.name),
            user_id=user.id,
        )
        template = self.env.ref("ar_collections.mail_template_payment_plan_broken")
        template.send_mail(
            self.id, email_layout_xmlid="ar_collections.mail_layout_collections"
        )

    def _send_installment_emails(self, today):
        """A reminder before each installment and a message the day it is missed."""
        self.ensure_one()
        reminder = self.env.ref("ar_collections.mail_template_installment_reminder")
        missed = self.env.ref("ar_collections.mail_template_installment_missed")
        for installment in self.installment_ids:
            if installment.state == "paid":
                continue
            days_left = (installment.date_due - today).days
            if (
                self.reminder_days
                and 0 <= days_left <= self.reminder_days
                and not installment.date_reminder_sent
            ):
                reminder.send_mail(
                    installment.id,
                    email_layout_xmlid="ar_collections.mail_layout_collections",
                )
                installment.date_reminder_sent = today
            elif days_left < 0 and not installment.date_missed_sent:
                missed.send_mail(
                    installment.id,
                    email_layout_xmlid="ar_collections.mail_layout_collections",
                )
                installment.date_missed_sent = today

    def _record(self, action_type):
        """A history entry about each of these plans."""
        return self.env["ar.followup.action"]._record_many(
            [
                {
                    "action_type": action_type,
                    "partner": plan.partner_id,
                    "company": plan.company_id,
                    "moves": plan.move_ids,
                    "note": self.env._(
                        "%(plan)s: %(count)s installments, %(total)s, %(left)s left",
                        plan=plan.name,
                        count=len(plan.installment_ids),
                        total=plan.currency_id.format(plan.amount_total),
                        left=plan.currency_id.format(plan.amount_residual),
                    ),
                    "amount_due": plan.amount_residual,
                }
                for plan in self
            ]
        )

    @api.model
    def _suspended_move_ids(self, moves, today):
        """Invoices of ``moves`` in an active plan (in good standing)."""
        plans = self.sudo().search(
            [("state", "=", "active"), ("move_ids", "in", moves.ids)]
        )
        return set(plans.move_ids.ids) & set(moves.ids)

    @api.model
    def _cron_check_commitments(self):
        """Daily: promises kept or broken, plans completed, broken or reminded."""
        run = self.env["ar.followup.run"]
        companies = self.env["res.company"]
        for model, state in (("ar.promise", "open"), ("ar.payment.plan", "active")):
            companies |= (
                self.env[model].sudo().search([("state", "=", state)]).company_id
            )
        for company in companies:
            today = run._company_today(company)
            env_company = self.with_company(company).sudo()
            env_company.env["ar.promise"].search(
                [("company_id", "=", company.id), ("state", "=", "open")]
            )._check_outcome(today)
            env_company.search(
                [("company_id", "=", company.id), ("state", "=", "active")]
            )._check_status(today)
        return True
