from odoo import fields, models
from odoo.tools import SQL

from . import receivable_scope as scope


class ArFollowupCustomer(models.Model):
    """Customers to follow up: one row per customer and company with an open balance.

    The rows are the figures of :meth:`_figures_sql` (over the open
    receivable lines of ``receivable_scope``) stored per customer, so that
    the first page of 20,000 customers reads a few indexed rows instead of
    aggregating every open line. Database triggers note the customers whose
    lines, documents, disputes, promises, plans or collections fields change,
    and the rows of those customers, and of a company whose day has turned,
    are computed again before any search (``ar_followup_customer_refresh``).
    """

    _name = "ar.followup.customer"
    _description = "Customer to follow up"
    _order = "date_next_action, amount_overdue desc"
    _rec_name = "partner_id"
    _log_access = False

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

    date_figures = fields.Date(
        "Figures as of",
        readonly=True,
        help="The company's day the figures were computed for.",
    )

    _first_page_idx = models.Index("(date_next_action, amount_overdue DESC, id)")
    _overdue_idx = models.Index("(amount_overdue DESC, id)")
    _day_idx = models.Index("(company_id, date_figures)")
    _partner_idx = models.Index("(partner_id)")

    def _figures_sql(self, extra=None):
        """The figures of each customer and company, computed from the lines.

        The one query behind the stored rows: ``extra`` (SQL on ``aml``)
        narrows it to some customers or companies.
        """
        return SQL(
            """
            SELECT MIN(line.id) AS id,
                   line.partner_id,
                   line.company_id,
                   company.currency_id,
                   SUM(line.amount_residual) AS amount_due,
                   COALESCE(SUM(line.amount_chased) FILTER (WHERE line.is_overdue), 0)
                       AS amount_overdue,
                   MIN(line.date_due) FILTER (WHERE line.is_overdue)
                       AS date_oldest_overdue,
                   COALESCE(MIN(line.today) - MIN(line.date_due)
                       FILTER (WHERE line.is_overdue), 0) AS days_overdue,
                   COUNT(DISTINCT line.move_id) FILTER (WHERE line.amount_residual > 0)
                       AS invoice_count,
                   (ARRAY_AGG(move.ar_level_id
                              ORDER BY level.sequence DESC, level.id DESC)
                       FILTER (WHERE move.ar_level_id IS NOT NULL))[1] AS level_id,
                   -- An overdue invoice no run has dated yet (before the first
                   -- run, or new since the last) is due for action today; a
                   -- paused one (promise, plan, dispute...) has no date.
                   LEAST(MIN(move.ar_date_next_action)
                             FILTER (WHERE line.amount_residual > 0),
                         MIN(line.today) FILTER (
                             WHERE line.is_overdue
                               AND move.ar_date_next_action IS NULL
                               AND move.ar_followup_paused IS NOT TRUE
                               AND move.ar_handover_state IS NULL))
                       AS date_next_action,
                   (partner.ar_collector_id ->> line.company_id::text)::int
                       AS collector_id,
                   (partner.ar_policy_id ->> line.company_id::text)::int AS policy_id,
                   COALESCE((partner.ar_credit_hold ->> line.company_id::text)::boolean,
                            FALSE) AS credit_hold,
                   (partner.ar_snooze_until ->> line.company_id::text)::date
                       AS snooze_until,
                   partner.user_id AS salesperson_id,
                   CASE WHEN EXISTS (
                            SELECT FROM ar_dispute d
                             WHERE d.partner_id = line.partner_id
                               AND d.company_id = line.company_id
                               AND d.state = 'open') THEN 'dispute'
                        WHEN EXISTS (
                            SELECT FROM ar_payment_plan p
                             WHERE p.partner_id = line.partner_id
                               AND p.company_id = line.company_id
                               AND p.state = 'active') THEN 'plan'
                        WHEN EXISTS (
                            SELECT FROM ar_promise p
                             WHERE p.partner_id = line.partner_id
                               AND p.company_id = line.company_id
                               AND p.state = 'open') THEN 'promise'
                   END AS commitment,
                   MIN(line.today) AS date_figures
              FROM %(lines)s line
              JOIN account_move move ON move.id = line.move_id
              JOIN res_company company ON company.id = line.company_id
              JOIN res_partner partner ON partner.id = line.partner_id
         LEFT JOIN ar_followup_level level ON level.id = move.ar_level_id
          GROUP BY line.partner_id, line.company_id, company.currency_id, partner.id
            HAVING SUM(line.amount_residual) > 0
            """,
            lines=scope.open_lines_sql(self.env, extra=extra),
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
