from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from . import receivable_scope as scope


class ResPartner(models.Model):
    """Collections settings (per company) of a customer, its counters and links.

    The other jobs have their own files: figures and aging
    (``res_partner_figures``), credit holds (``res_partner_credit_hold``),
    the behaviour score (``res_partner_behaviour_score``) and the statement of
    account (``res_partner_statement``).
    """

    _inherit = "res.partner"

    ar_policy_id = fields.Many2one(
        "ar.followup.policy",
        "Follow-up policy",
        company_dependent=True,
        help="Leave empty to use the company's default policy.",
    )
    ar_collector_id = fields.Many2one(
        "res.users",
        "Collector",
        company_dependent=True,
        help="Who chases this customer: calls are planned for this user.",
    )
    ar_contact_id = fields.Many2one(
        "res.partner",
        "Collections contact",
        domain="[('id', 'child_of', commercial_partner_id)]",
        help="The person reminders and letters go to. Empty: the invoice address.",
    )
    ar_escalation_contact_ids = fields.Many2many(
        "res.partner",
        "ar_partner_escalation_contact_rel",
        "partner_id",
        "contact_id",
        "Escalation contacts",
        domain="[('id', 'child_of', commercial_partner_id)]",
        help="Copied on levels that escalate, e.g. the finance director or owner.",
    )
    ar_snooze_until = fields.Date(
        "Do not chase before",
        company_dependent=True,
        copy=False,
        help="No follow-up action for this customer before this date.",
    )
    ar_date_last_followup = fields.Date(
        "Last follow-up",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="Day of the last follow-up action (run or manual).",
    )
    ar_never_charge_fees = fields.Boolean(
        "Never charge fees",
        help="No late fee or interest is ever charged to this customer.",
    )
    ar_fees_agreed = fields.Boolean(
        "Agreed to late fees",
        help="A consumer who accepted late fees in their contract: only then are "
        "fee rules open to consumers applied.",
    )
    ar_fee_count = fields.Integer(compute="_compute_ar_fee_count")
    ar_promise_count = fields.Integer("Promises made", compute="_compute_ar_promises")
    ar_promise_kept_count = fields.Integer(
        "Promises kept", compute="_compute_ar_promises"
    )
    ar_promise_broken_count = fields.Integer(
        "Promises broken",
        compute="_compute_ar_promises",
        help="Promises not kept, fully or partly.",
    )
    ar_plan_count = fields.Integer(compute="_compute_ar_promises")
    ar_action_count = fields.Integer(compute="_compute_ar_action_count")
    ar_reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        "Non-payment reason",
        copy=False,
        tracking=True,
        help="Why this customer does not pay, e.g. from a call; a suspending "
        "reason pauses the chasing of all its invoices.",
    )
    ar_date_reason = fields.Date("Reason set on", copy=False)
    ar_dispute_count = fields.Integer(
        "Open disputes", compute="_compute_ar_dispute_count"
    )

    def _compute_ar_action_count(self):
        groups = dict(
            self.env["ar.followup.action"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.ar_action_count = groups.get(partner.commercial_partner_id, 0)

    def _compute_ar_fee_count(self):
        groups = dict(
            self.env["ar.fee"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.ar_fee_count = groups.get(partner.commercial_partner_id, 0)

    def _compute_ar_promises(self):
        """Promise and plan counts of the current company, in two grouped reads."""
        commercial = self.commercial_partner_id
        promises = self.env["ar.promise"]._read_group(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", self.env.company.id),
            ],
            ["partner_id", "state"],
            ["__count"],
        )
        counts = {}
        for partner, state, count in promises:
            counts.setdefault(partner.id, {})[state] = count
        plans = dict(
            self.env["ar.payment.plan"]._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            by_state = counts.get(partner.commercial_partner_id.id, {})
            partner.ar_promise_count = sum(
                n for state, n in by_state.items() if state != "cancelled"
            )
            partner.ar_promise_kept_count = by_state.get("kept", 0)
            partner.ar_promise_broken_count = by_state.get("broken", 0) + by_state.get(
                "partial", 0
            )
            partner.ar_plan_count = plans.get(partner.commercial_partner_id, 0)

    def _ar_open_commitments(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_ar_open_promises(self):
        return self._ar_open_commitments("ar_collections.ar_promise_action")

    def action_ar_open_plans(self):
        return self._ar_open_commitments("ar_collections.ar_payment_plan_action")

    def action_ar_open_fees(self):
        """Late fees charged to this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.ar_fee_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def _ar_get_policy(self, company=None):
        """The policy that applies to this customer in ``company``."""
        self.ensure_one()
        company = company or self.env.company
        policy = self.with_company(company).commercial_partner_id.ar_policy_id
        if policy and policy.active:
            return policy
        return self.env["ar.followup.policy"]._get_company_default(company)

    def _ar_overdue_moves(self, company):
        """Documents of this customer in ``company`` with an overdue line
        (``receivable_scope``), oldest due first."""
        self.ensure_one()
        today = scope.company_today(self.env, company)
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                *scope.overdue_domain(today),
            ]
        )
        return lines.move_id.sorted(lambda move: (move.ar_date_due, move.id))

    @api.model
    def _ar_from_context(self):
        """Customers a wizard was opened for, from a partner or a customer list."""
        context = self.env.context
        model = context.get("active_model")
        ids = context.get("active_ids") or (
            [context["active_id"]] if context.get("active_id") else []
        )
        if model not in ("res.partner", "ar.followup.customer") or not ids:
            return self.browse()
        records = self.env[model].browse(ids)
        partners = records if model == "res.partner" else records.partner_id
        return partners.commercial_partner_id

    @api.model
    def _ar_invoices_from_context(self):
        """Customer and invoices a commitment wizard was opened for.

        The selected invoices (from an invoice list or form), else everything
        overdue of the customer it was opened from.
        """
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            moves = self.env["account.move"].browse(context["active_ids"])
            return moves.commercial_partner_id[:1], moves
        partner = self._ar_from_context()[:1]
        if not partner:
            return partner, self.env["account.move"]
        return partner, partner._ar_overdue_moves(self.env.company)

    def _ar_get_contact(self):
        """Recipient of reminders: the collections contact, else the invoice address."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if commercial.ar_contact_id:
            return commercial.ar_contact_id
        return self.browse(commercial.address_get(["invoice"])["invoice"])

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        """Collectors post on the customers they can read (Send message, Log note).

        Posting on a partner needs the right to edit it by default, which
        collectors do not have; the chatter reads this to offer its buttons on
        a read-only form. Only customers (and their contacts), not every partner.
        """
        operations = super()._mail_get_operation_for_mail_message_operation(
            message_operation
        )
        if message_operation == "create" and self.env.user.has_group(
            "ar_collections.ar_collections_group_user"
        ):
            # sudo: which partners are customers; reading them is checked after.
            for partner in self.sudo().filtered(
                lambda p: p.commercial_partner_id.customer_rank > 0
            ):
                operations[partner.sudo(False)] = "read"
        return operations

    def action_ar_open_history(self):
        """Follow-up history of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.ar_followup_action_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_ar_open_invoices(self):
        """Open unpaid invoices of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.account_move_action_overdue"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        return action

    def _compute_ar_dispute_count(self):
        groups = dict(
            self.env["ar.dispute"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "=", "open"),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.ar_dispute_count = groups.get(partner.commercial_partner_id, 0)

    def action_ar_open_disputes(self):
        return self._ar_open_commitments("ar_collections.ar_dispute_action")

    def action_ar_open_handovers(self):
        return self._ar_open_commitments("ar_collections.ar_handover_action")

    @api.model
    def _cron_ar_workspace(self):
        """Daily: automatic holds and their lifting, then behaviour scores."""
        companies = self.env["res.company"].search([], limit=None)
        for company in companies:
            today = self.env["ar.followup.run"]._company_today(company)
            env_company = self.with_company(company)
            env_company._ar_hold_over_credit_limit(company, today)
            env_company._ar_lift_cleared_holds(company, today)
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT aml.partner_id
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE %s AND aml.partner_id IS NOT NULL AND %s >= %s
                """,
                scope.receivable_sql(),
                scope.due_date_sql(),
                fields.Date.context_today(self) - timedelta(days=365),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for start in range(0, len(ids), 1000):
            self.browse(ids[start : start + 1000])._ar_refresh_behaviour_scores()
