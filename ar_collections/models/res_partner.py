from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """Collections settings (per company) and figures of a customer."""

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
    ar_credit_hold = fields.Boolean(
        "Credit hold", company_dependent=True, copy=False, tracking=True
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
    ar_amount_due = fields.Monetary(
        "Total due", compute="_compute_ar_figures", currency_field="ar_currency_id"
    )
    ar_amount_overdue = fields.Monetary(
        "Total overdue", compute="_compute_ar_figures", currency_field="ar_currency_id"
    )
    ar_date_oldest_overdue = fields.Date(
        "Oldest overdue", compute="_compute_ar_figures"
    )
    ar_level_id = fields.Many2one(
        "ar.followup.level", "Highest level", compute="_compute_ar_figures"
    )
    ar_date_next_action = fields.Date("Next follow-up", compute="_compute_ar_figures")
    ar_currency_id = fields.Many2one("res.currency", compute="_compute_ar_currency_id")
    ar_action_count = fields.Integer(compute="_compute_ar_action_count")

    def _compute_ar_currency_id(self):
        self.ar_currency_id = self.env.company.currency_id

    def _compute_ar_figures(self):
        """Figures of the current company, read in one grouped query."""
        commercial = self.commercial_partner_id
        rows = self.env["ar.followup.customer"].search_read(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", self.env.company.id),
            ],
            [
                "partner_id",
                "amount_due",
                "amount_overdue",
                "date_oldest_overdue",
                "level_id",
                "date_next_action",
            ],
        )
        by_partner = {row["partner_id"][0]: row for row in rows}
        for partner in self:
            row = by_partner.get(partner.commercial_partner_id.id, {})
            partner.ar_amount_due = row.get("amount_due", 0.0)
            partner.ar_amount_overdue = row.get("amount_overdue", 0.0)
            partner.ar_date_oldest_overdue = row.get("date_oldest_overdue") or False
            level = row.get("level_id")
            partner.ar_level_id = level[0] if level else False
            partner.ar_date_next_action = row.get("date_next_action") or False

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
        """Open overdue invoices of this customer in ``company``."""
        self.ensure_one()
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("ar_days_overdue", ">", 0),
            ]
        )

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

    def _ar_get_contact(self):
        """Recipient of reminders: the collections contact, else the invoice address."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if commercial.ar_contact_id:
            return commercial.ar_contact_id
        return self.browse(commercial.address_get(["invoice"])["invoice"])

    def write(self, vals):
        if "ar_credit_hold" in vals and not vals["ar_credit_hold"]:
            self._ar_check_can_lift_hold()
        return super().write(vals)

    def _ar_check_can_lift_hold(self):
        on_hold = self.filtered("ar_credit_hold")
        if (
            on_hold
            and not self.env.user.has_group(
                "ar_collections.ar_collections_group_manager"
            )
            and not self.env.su
        ):
            raise UserError(
                self.env._(
                    "Only a Collections Manager can lift the credit hold of "
                    "%(partners)s: ask a manager to use “Lift credit hold”.",
                    partners=", ".join(on_hold.mapped("display_name")),
                )
            )

    def action_ar_set_credit_hold(self):
        """Put customers on credit hold by hand, and record it."""
        partners = self.commercial_partner_id.filtered(lambda p: not p.ar_credit_hold)
        if not partners:
            raise UserError(self.env._("These customers are already on credit hold."))
        # Collectors may set a hold without the right to edit partners.
        partners.sudo().ar_credit_hold = True
        self._ar_record(partners, "hold")
        return True

    def _ar_record(self, partners, action_type):
        self.env["ar.followup.action"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "action_type": action_type,
                    "origin": "manual",
                    "amount_due": partner.ar_amount_overdue,
                }
                for partner in partners
            ]
        )

    def action_ar_lift_credit_hold(self):
        """Lift the hold (managers) and record it in the history."""
        self._ar_check_can_lift_hold()
        partners = self.commercial_partner_id.filtered("ar_credit_hold")
        if not partners:
            raise UserError(self.env._("These customers are not on credit hold."))
        # Rights were checked above; partner write access is not required.
        partners.sudo().ar_credit_hold = False
        self._ar_record(partners, "hold_lifted")
        return True

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
