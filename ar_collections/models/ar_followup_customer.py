from odoo import fields, models
from odoo.tools import SQL


class ArFollowupCustomer(models.Model):
    """Customers to follow up: one row per customer and company with an open balance.

    A database view over open receivable lines, so the figures are always
    those of today and a list of thousands of customers sorts and filters in
    the database (one grouped query, no per-customer computation).
    """

    _name = "ar.followup.customer"
    _description = "Customer to follow up"
    _auto = False
    _order = "date_next_action, amount_overdue desc"
    _rec_name = "partner_id"
    # What the query reads: pending writes are flushed before it runs.
    _depends = {
        "account.move.line": [
            "account_id",
            "amount_residual",
            "company_id",
            "date_maturity",
            "move_id",
            "no_followup",
            "parent_state",
            "partner_id",
            "reconciled",
        ],
        "account.move": [
            "ar_date_next_action",
            "ar_followup_paused",
            "ar_handover_state",
            "ar_level_id",
            "move_type",
        ],
        "res.partner": [
            "ar_collector_id",
            "ar_credit_hold",
            "ar_policy_id",
            "ar_snooze_until",
            "user_id",
        ],
        "ar.followup.level": ["policy_id", "sequence"],
        "ar.dispute": ["company_id", "partner_id", "state"],
        "ar.payment.plan": ["company_id", "partner_id", "state"],
        "ar.promise": ["company_id", "partner_id", "state"],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_due = fields.Monetary("Total due", readonly=True)
    amount_overdue = fields.Monetary("Total overdue", readonly=True)
    date_oldest_overdue = fields.Date("Oldest overdue", readonly=True)
    days_overdue = fields.Integer("Days overdue", readonly=True, aggregator="max")
    invoice_count = fields.Integer("Open invoices", readonly=True)
    level_id = fields.Many2one("ar.followup.level", "Highest level", readonly=True)
    date_next_action = fields.Date("Next follow-up", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    policy_id = fields.Many2one("ar.followup.policy", readonly=True)
    credit_hold = fields.Boolean("Credit hold", readonly=True)
    snooze_until = fields.Date("Do not chase before", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)

    commitment = fields.Selection(
        [
            ("dispute", "Dispute"),
            ("plan", "Payment plan"),
            ("promise", "Promise to pay"),
        ],
        readonly=True,
        help="An open dispute, an active payment plan or an open promise to pay "
        "(the first of these the customer has).",
    )

    @property
    def _table_query(self):
        # "Today" of the user, the date the search filters compare with.
        today = fields.Date.context_today(self)
        overdue = SQL(
            "aml.date_maturity < %(today)s AND aml.amount_residual > 0 "
            "AND move.move_type = 'out_invoice' AND aml.no_followup IS NOT TRUE",
            today=today,
        )
        return SQL(
            """
            SELECT MIN(aml.id) AS id,
                   aml.partner_id,
                   aml.company_id,
                   company.currency_id,
                   SUM(aml.amount_residual) AS amount_due,
                   COALESCE(SUM(aml.amount_residual) FILTER (WHERE %(overdue)s), 0)
                       AS amount_overdue,
                   MIN(aml.date_maturity) FILTER (WHERE %(overdue)s)
                       AS date_oldest_overdue,
                   COALESCE(%(today)s - MIN(aml.date_maturity)
                       FILTER (WHERE %(overdue)s), 0) AS days_overdue,
                   COUNT(DISTINCT aml.move_id)
                       FILTER (WHERE move.move_type = 'out_invoice') AS invoice_count,
                   (ARRAY_AGG(move.ar_level_id
                              ORDER BY level.sequence DESC, level.id DESC)
                       FILTER (WHERE move.ar_level_id IS NOT NULL))[1] AS level_id,
                   -- An overdue invoice no run has dated yet (before the first
                   -- run, or new since the last) is due for action today; a
                   -- paused one (promise, plan, dispute...) has no date.
                   LEAST(MIN(move.ar_date_next_action),
                         MIN(%(today)s::date) FILTER (
                             WHERE %(overdue)s
                               AND move.ar_date_next_action IS NULL
                               AND move.ar_followup_paused IS NOT TRUE
                               AND move.ar_handover_state IS NULL))
                       AS date_next_action,
                   (partner.ar_collector_id ->> aml.company_id::text)::int
                       AS collector_id,
                   (partner.ar_policy_id ->> aml.company_id::text)::int AS policy_id,
                   COALESCE((partner.ar_credit_hold ->> aml.company_id::text)::boolean,
                            FALSE) AS credit_hold,
                   (partner.ar_snooze_until ->> aml.company_id::text)::date
                       AS snooze_until,
                   partner.user_id AS salesperson_id,
                   CASE WHEN EXISTS (
                            SELECT FROM ar_dispute d
                             WHERE d.partner_id = aml.partner_id
                               AND d.company_id = aml.company_id
                               AND d.state = 'open') THEN 'dispute'
                        WHEN EXISTS (
                            SELECT FROM ar_payment_plan p
                             WHERE p.partner_id = aml.partner_id
                               AND p.company_id = aml.company_id
                               AND p.state = 'active') THEN 'plan'
                        WHEN EXISTS (
                            SELECT FROM ar_promise p
                             WHERE p.partner_id = aml.partner_id
                               AND p.company_id = aml.company_id
                               AND p.state = 'open') THEN 'promise'
                   END AS commitment
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_company company ON company.id = aml.company_id
              JOIN res_partner partner ON partner.id = aml.partner_id
         LEFT JOIN ar_followup_level level ON level.id = move.ar_level_id
             WHERE aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual != 0
          GROUP BY aml.partner_id, aml.company_id, company.currency_id, partner.id
            HAVING SUM(aml.amount_residual) > 0
            """,
            overdue=overdue,
            today=today,
        )

    def action_open_partner(self):
        """Open the customer's form on its Collections tab.

        The list's controller (``ar_followup_customer_list``) opens it with the
        list's customers, so that the form's pager steps through them.
        """
        self.ensure_one()
        view = self.env.ref("ar_collections.res_partner_view_form_collections")
        return {
            "type": "ir.actions.act_window",
            "name": self.partner_id.display_name,
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(view.id, "form")],
        }
