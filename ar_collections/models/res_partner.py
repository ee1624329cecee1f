from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine.workspace import PaymentHistory, behaviour_score


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

    def write(self, vals):
        if "ar_credit_hold" in vals and not vals["ar_credit_hold"]:
            self._ar_check_can_lift_hold()
        return super().write(vals)

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

    # ------------------------------------------------------------------
    # Collector workspace: reasons, behaviour score, automatic holds
    # ------------------------------------------------------------------

    ar_reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        "Non-payment reason",
        copy=False,
        tracking=True,
        help="Why this customer does not pay, e.g. from a call; a suspending "
        "reason pauses the chasing of all its invoices.",
    )
    ar_date_reason = fields.Date("Reason set on", copy=False)
    ar_behaviour_score = fields.Integer(
        "Payment behaviour",
        copy=False,
        readonly=True,
        aggregator="avg",
        help="0 (pays badly) to 100 (pays on time), from the last year's paid "
        "invoices, broken promises and disputes. Empty: not enough history.",
    )
    ar_behaviour_trust = fields.Selection(
        [("good", "Good"), ("normal", "Normal"), ("bad", "Bad")],
        "Behaviour",
        copy=False,
        readonly=True,
        help="What the score says; empty when there is not enough history.",
    )
    ar_behaviour_explanation = fields.Text("Why this score", copy=False, readonly=True)
    ar_date_score = fields.Date("Score of", copy=False, readonly=True)
    ar_amount_aging_1_30 = fields.Monetary(
        "1-30 days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_amount_aging_31_60 = fields.Monetary(
        "31-60 days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_amount_aging_61_90 = fields.Monetary(
        "61-90 days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_amount_aging_90_plus = fields.Monetary(
        "90+ days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_dispute_count = fields.Integer(
        "Open disputes", compute="_compute_ar_dispute_count"
    )

    def _compute_ar_aging(self):
        """Overdue buckets of the current company: one grouped read for the page."""
        self.env.flush_all()  # the report is a view over journal items
        commercial = self.commercial_partner_id
        rows = self.env["ar.aging.report"]._read_group(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", self.env.company.id),
            ],
            ["partner_id"],
            [
                "amount_1_30:sum",
                "amount_31_60:sum",
                "amount_61_90:sum",
                "amount_90_plus:sum",
            ],
        )
        by_partner = {partner.id: amounts for partner, *amounts in rows}
        for partner in self:
            amounts = by_partner.get(partner.commercial_partner_id.id, [0] * 4)
            (
                partner.ar_amount_aging_1_30,
                partner.ar_amount_aging_31_60,
                partner.ar_amount_aging_61_90,
                partner.ar_amount_aging_90_plus,
            ) = amounts

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

    def action_ar_send_statement(self):
        """Email composer with the statement of account attached."""
        self.ensure_one()
        partner = self.commercial_partner_id
        template = self.env.ref("ar_collections.mail_template_ar_statement")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": partner.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        }

    def _ar_statement_lines(self):
        """Open receivable items of this customer in the current company.

        Rows of the aging report, oldest due first, and the totals per bucket.
        """
        self.ensure_one()
        self.env.flush_all()
        lines = self.env["ar.aging.report"].search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.env.company.id),
            ],
            order="date_maturity, id",
        )
        totals = self.env["ar.aging.report"]._read_group(
            [("id", "in", lines.ids)],
            [],
            [
                "amount_current:sum",
                "amount_1_30:sum",
                "amount_31_60:sum",
                "amount_61_90:sum",
                "amount_90_plus:sum",
                "amount_residual:sum",
            ],
        )[0]
        keys = ["current", "1_30", "31_60", "61_90", "90_plus", "total"]
        return lines, dict(zip(keys, (t or 0.0 for t in totals), strict=True))

    def _ar_statement_payment_summary(self):
        """How to pay what is overdue, as the follow-up letters say it.

        The letters' payment block (amount to pay, late fees, payment
        reference, QR code) for an unsaved history entry over today's
        overdue invoices; False when nothing is overdue.
        """
        self.ensure_one()
        company = self.env.company
        moves = self._ar_overdue_moves(company)
        if not moves:
            return False
        entry = self.env["ar.followup.action"].new(
            {
                "company_id": company.id,
                "partner_id": self.commercial_partner_id.id,
                "line_ids": moves._ar_history_line_commands(),
            }
        )
        return entry.payment_summary_html

    # Behaviour score ------------------------------------------------------

    @api.model
    def _ar_score_histories(self, partner_ids, today):
        """{partner id: PaymentHistory} over the last year, in three grouped reads."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE paid.day > move.invoice_date_due),
                       AVG(GREATEST(paid.day - move.invoice_date_due, 0))
                  FROM account_move move
                  JOIN (SELECT aml.move_id, MAX(apr.max_date) AS day
                          FROM account_partial_reconcile apr
                          JOIN account_move_line aml ON aml.id = apr.debit_move_id
                          JOIN account_account account ON account.id = aml.account_id
                         WHERE account.account_type = 'asset_receivable'
                         GROUP BY aml.move_id) paid ON paid.move_id = move.id
                 WHERE move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.payment_state IN ('paid', 'in_payment')
                   AND move.commercial_partner_id IN %(partners)s
                   AND move.invoice_date_due >= %(since)s
                 GROUP BY move.commercial_partner_id
                """,
                partners=tuple(partner_ids) or (0,),
                since=today - timedelta(days=365),
            )
        )
        paid = {
            row[0]: (row[1], row[2], Decimal(str(row[3] or 0)))
            for row in self.env.cr.fetchall()
        }
        broken = dict(
            self.env["ar.promise"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", list(partner_ids)),
                    ("state", "in", ("broken", "partial")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        disputes = dict(
            self.env["ar.dispute"]
            .sudo()
            ._read_group(
                [("partner_id", "in", list(partner_ids))],
                ["partner_id"],
                ["__count"],
            )
        )
        broken = {p.id: n for p, n in broken.items()}
        disputes = {p.id: n for p, n in disputes.items()}
        result = {}
        for partner_id in partner_ids:
            count, late, days = paid.get(partner_id, (0, 0, Decimal(0)))
            result[partner_id] = PaymentHistory(
                paid_count=count,
                late_count=late,
                average_days_late=days,
                broken_promises=broken.get(partner_id, 0),
                disputes=disputes.get(partner_id, 0),
            )
        return result

    def _ar_explain_score(self, score):
        """The score's factors in the user's words."""
        if score.value is None:
            return self.env._("Not enough history: fewer than three paid invoices.")
        texts = {
            "days_late": self.env._("paid %(value)s days late on average"),
            "share_late": self.env._("%(value)s %% of invoices paid late"),
            "broken_promises": self.env._("%(value)s promise(s) to pay broken"),
            "disputes": self.env._("%(value)s dispute(s)"),
        }
        if not score.factors:
            return self.env._("%(score)s/100: always paid on time.", score=score.value)
        parts = [
            self.env._(
                "-%(points)s: %(why)s",
                points=factor.points,
                why=texts[factor.code]
                % {"value": f"{factor.value.quantize(Decimal('0.1')).normalize():f}"},
            )
            for factor in score.factors
        ]
        return "\n".join(
            [self.env._("%(score)s/100 because:", score=score.value), *parts]
        )

    def _ar_refresh_behaviour_scores(self, today=None):
        """Score these (commercial) customers and feed Odoo's debtor trust."""
        partners = self.commercial_partner_id
        if not partners:
            return
        today = today or fields.Date.context_today(self)
        histories = self._ar_score_histories(partners.ids, today)
        by_trust = {}
        for partner in partners:
            score = behaviour_score(histories[partner.id])
            partner.sudo().write(
                {
                    "ar_behaviour_score": score.value or 0,
                    "ar_behaviour_trust": score.trust or False,
                    "ar_behaviour_explanation": self._ar_explain_score(score),
                    "ar_date_score": today,
                }
            )
            if score.trust:
                by_trust.setdefault(score.trust, self.browse())
                by_trust[score.trust] |= partner
        for trust, group in by_trust.items():
            group.with_company(self.env.company).sudo().trust = trust

    def action_ar_refresh_score(self):
        self._ar_refresh_behaviour_scores()
        return True

    # Automatic credit holds --------------------------------------------------

    @api.model
    def _ar_overdue_by_partner(self, company, today, partner_ids=None):
        """{commercial partner id: overdue amount in company currency}."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.partner_id, SUM(aml.amount_residual)
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.amount_residual > 0
                   AND move.move_type = 'out_invoice'
                   AND aml.date_maturity < %(today)s
                   %(partners)s
                 GROUP BY aml.partner_id
                """,
                company=company.id,
                today=today,
                partners=SQL("AND aml.partner_id IN %s", tuple(partner_ids))
                if partner_ids
                else SQL(""),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _ar_lift_cleared_holds(self, company, today, partner_ids=None):
        """Lift holds set by the run once nothing is overdue any more.

        Holds set by hand stay until a manager lifts them.
        """
        domain = [("ar_credit_hold", "=", True)]
        if partner_ids:
            domain.append(("id", "in", list(partner_ids)))
        held = self.with_company(company).sudo().search(domain)
        if not held:
            return self.browse()
        overdue = self._ar_overdue_by_partner(company, today, held.ids)
        cleared = held.filtered(
            lambda p: company.currency_id.compare_amounts(overdue.get(p.id, 0), 0) <= 0
        )
        if not cleared:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, origin
                  FROM ar_followup_action
                 WHERE action_type = 'hold'
                   AND state = 'done'
                   AND company_id = %s
                   AND partner_id IN %s
                 ORDER BY partner_id, date DESC, id DESC
                """,
                company.id,
                tuple(cleared.ids),
            )
        )
        automatic = {pid for pid, origin in self.env.cr.fetchall() if origin == "run"}
        cleared = cleared.filtered(lambda p: p.id in automatic)
        if not cleared:
            return self.browse()
        cleared.with_company(company).sudo().ar_credit_hold = False
        self.env["ar.followup.action"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "action_type": "hold_lifted",
                    "origin": "manual",
                    "note": self.env._(
                        "Lifted automatically: nothing is overdue any more."
                    ),
                }
                for partner in cleared
            ]
        )
        return cleared

    @api.model
    def _ar_hold_over_credit_limit(self, company, today):
        """Hold customers whose overdue balance exceeds their credit limit.

        Only when the company uses credit limits (Invoicing settings) and the
        system parameter ``ar_collections.hold_over_credit_limit`` is set. The
        limit is the customer's own, else the company default.
        """
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ar_collections.hold_over_credit_limit")
        )
        if not company.account_use_credit_limit or param in (
            None,
            False,
            "",
            "0",
            "False",
        ):
            return self.browse()
        overdue = self._ar_overdue_by_partner(company, today)
        partners = self.with_company(company).sudo().browse(list(overdue))
        over = partners.filtered(
            lambda p: (
                not p.ar_credit_hold
                and p.credit_limit
                and company.currency_id.compare_amounts(overdue[p.id], p.credit_limit)
                > 0
            )
        )
        if not over:
            return self.browse()
        over.ar_credit_hold = True
        self.env["ar.followup.action"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "action_type": "hold",
                    "origin": "run",
                    "amount_due": overdue[partner.id],
                    "note": self.env._(
                        "Overdue balance above the credit limit (%(limit)s).",
                        limit=partner.credit_limit,
                    ),
                }
                for partner in over
            ]
        )
        return over

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
                SELECT DISTINCT commercial_partner_id
                  FROM account_move
                 WHERE move_type = 'out_invoice'
                   AND state = 'posted'
                   AND invoice_date_due >= %s
                """,
                fields.Date.context_today(self) - timedelta(days=365),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for start in range(0, len(ids), 1000):
            self.browse(ids[start : start + 1000])._ar_refresh_behaviour_scores()
