from odoo import fields, models
from odoo.tools import SQL

from ..engine import workspace as ws
from . import receivable_scope as scope


class ArWorklist(models.Model):
    """A collector's customers to call, ranked by priority.

    A database view: one row per customer and company with something overdue.
    The priority is ``engine.workspace.priority`` written in SQL with the
    engine's weights, so thousands of rows sort in the database.
    """

    _name = "ar.worklist"
    _description = "Collections worklist"
    _auto = False
    _order = "priority desc, partner_id"
    _rec_name = "partner_id"
    # What the query reads: pending writes are flushed before it runs.
    _depends = scope.view_depends(
        res_partner=[
            "ar_behaviour_score",
            "ar_behaviour_trust",
            "ar_no_phone",
            "ar_reason_id",
        ],
        mail_activity=[
            "active",
            "activity_type_id",
            "date_deadline",
            "res_id",
            "res_model",
            "user_id",
        ],
    )

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    amount_overdue = fields.Monetary("Overdue", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    invoice_count = fields.Integer("Overdue invoices", readonly=True)
    level_id = fields.Many2one("ar.followup.level", "Highest level", readonly=True)
    level_rank = fields.Integer(readonly=True)
    broken_promises = fields.Integer("Broken promises", readonly=True)
    behaviour_score = fields.Integer("Payment behaviour", readonly=True)
    has_score = fields.Boolean(readonly=True)
    open_disputes = fields.Integer("Open disputes", readonly=True)
    reason_id = fields.Many2one("ar.nonpayment.reason", readonly=True)
    credit_hold = fields.Boolean(readonly=True)
    snooze_until = fields.Date("Do not chase before", readonly=True)
    date_next_action = fields.Date("Next follow-up", readonly=True)
    date_call = fields.Date(
        "Call planned",
        readonly=True,
        help="Due date of the earliest call still to make (planned by the daily run "
        "or by hand).",
    )
    call_user_id = fields.Many2one("res.users", "Call assigned to", readonly=True)
    no_phone = fields.Boolean(
        "Do not call or text",
        readonly=True,
        help="The customer asked not to be contacted by phone: never to call today.",
    )
    to_call_today = fields.Boolean(
        "To call today",
        readonly=True,
        help="Not snoozed, not opted out of calls, and a call planned for today or "
        "earlier, or the next follow-up due today or earlier, or overdue and not "
        "followed up yet.",
    )
    priority = fields.Float(readonly=True, digits=(16, 2), aggregator="max")

    @property
    def _table_query(self):
        priority = SQL(
            """ROUND((
                LEAST(GREATEST(o.amount_overdue, 0) / %(unit)s, %(amount_cap)s)
                + %(days_w)s * LEAST(GREATEST(o.days_overdue, 0), %(days_cap)s)
                + %(level_w)s * COALESCE(o.level_rank, 0)
                + %(broken_w)s * LEAST(COALESCE(b.count, 0), %(broken_cap)s)
                + %(risk_w)s * (100 - CASE WHEN partner.ar_behaviour_trust IS NULL
                                           THEN %(neutral)s
                                           ELSE partner.ar_behaviour_score END)
            )::numeric, 2)""",
            unit=ws.PRIORITY_AMOUNT_UNIT,
            amount_cap=ws.PRIORITY_AMOUNT_CAP,
            days_w=ws.PRIORITY_DAYS_WEIGHT,
            days_cap=ws.PRIORITY_DAYS_CAP,
            level_w=ws.PRIORITY_LEVEL_WEIGHT,
            broken_w=ws.PRIORITY_BROKEN_WEIGHT,
            broken_cap=ws.PRIORITY_BROKEN_CAP,
            risk_w=ws.PRIORITY_RISK_WEIGHT,
            neutral=ws.NEUTRAL_SCORE,
        )
        return SQL(
            """
            WITH level_rank AS (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY policy_id
                                              ORDER BY sequence, id) AS rank
                  FROM ar_followup_level
            ), overdue AS (
                SELECT MIN(line.id) AS id,
                       line.partner_id,
                       line.company_id,
                       MIN(line.today) AS today,
                       SUM(line.amount_chased) AS amount_overdue,
                       MIN(line.today) - MIN(line.date_due) AS days_overdue,
                       COUNT(DISTINCT line.move_id) AS invoice_count,
                       MAX(lr.rank) AS level_rank,
                       (ARRAY_AGG(move.ar_level_id ORDER BY lr.rank DESC NULLS LAST))[1]
                           AS level_id,
                       -- An overdue invoice no run has dated yet is due today;
                       -- a paused or handed-over one has no date.
                       LEAST(MIN(move.ar_date_next_action),
                             MIN(line.today) FILTER (
                                 WHERE move.ar_date_next_action IS NULL
                                   AND move.ar_followup_paused IS NOT TRUE
                                   AND move.ar_handover_state IS NULL))
                           AS date_next_action
                  FROM %(lines)s line
                  JOIN account_move move ON move.id = line.move_id
             LEFT JOIN level_rank lr ON lr.id = move.ar_level_id
                 WHERE line.is_overdue
                 GROUP BY line.partner_id, line.company_id
            ), calls AS (
                -- Calls still to make: planned by the daily run's level (or by
                -- hand) as an activity; logging the call marks it done.
                SELECT DISTINCT ON (activity.res_id)
                       activity.res_id AS partner_id,
                       activity.date_deadline,
                       activity.user_id
                  FROM mail_activity activity
                 WHERE activity.res_model = 'res.partner'
                   AND activity.activity_type_id = %(call_type)s
                   AND activity.active IS TRUE
                 ORDER BY activity.res_id, activity.date_deadline, activity.id
            ), broken AS (
                SELECT partner_id, company_id, COUNT(*) AS count
                  FROM ar_promise
                 WHERE state IN ('broken', 'partial')
                 GROUP BY partner_id, company_id
            ), disputes AS (
                SELECT partner_id, company_id, COUNT(*) AS count
                  FROM ar_dispute
                 WHERE state = 'open'
                 GROUP BY partner_id, company_id
            )
            SELECT o.id,
                   o.partner_id,
                   o.company_id,
                   company.currency_id,
                   (partner.ar_collector_id ->> o.company_id::text)::int
                       AS collector_id,
                   partner.user_id AS salesperson_id,
                   o.amount_overdue,
                   o.days_overdue,
                   o.invoice_count,
                   o.level_id,
                   COALESCE(o.level_rank, 0) AS level_rank,
                   COALESCE(b.count, 0) AS broken_promises,
                   partner.ar_behaviour_score AS behaviour_score,
                   partner.ar_behaviour_trust IS NOT NULL AS has_score,
                   COALESCE(d.count, 0) AS open_disputes,
                   partner.ar_reason_id AS reason_id,
                   COALESCE((partner.ar_credit_hold ->> o.company_id::text)::boolean,
                            FALSE) AS credit_hold,
                   snooze.until AS snooze_until,
                   o.date_next_action,
                   c.date_deadline AS date_call,
                   c.user_id AS call_user_id,
                   partner.ar_no_phone IS TRUE AS no_phone,
                   COALESCE(o.date_next_action <= o.today
                            OR c.date_deadline <= o.today, FALSE)
                       AND (snooze.until IS NULL OR snooze.until <= o.today)
                       AND partner.ar_no_phone IS NOT TRUE
                       AS to_call_today,
                   %(priority)s AS priority
              FROM overdue o
              JOIN res_partner partner ON partner.id = o.partner_id
              JOIN res_company company ON company.id = o.company_id
              LEFT JOIN broken b
                ON b.partner_id = o.partner_id AND b.company_id = o.company_id
              LEFT JOIN disputes d
                ON d.partner_id = o.partner_id AND d.company_id = o.company_id
              LEFT JOIN calls c ON c.partner_id = o.partner_id
              CROSS JOIN LATERAL (
                  SELECT (partner.ar_snooze_until ->> o.company_id::text)::date
                      AS until) snooze
            """,
            priority=priority,
            lines=scope.open_lines_sql(self.env),
            call_type=self.env["ir.model.data"]._xmlid_to_res_id(
                "ar_collections.mail_activity_type_collection_call"
            )
            or None,
        )

    def _partner_action(self, xmlid, **context):
        """The action ``xmlid`` opened for this row's customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["context"] = {
            "active_model": "res.partner",
            "active_id": self.partner_id.id,
            "active_ids": self.partner_id.ids,
            **context,
        }
        return action

    def action_log_call(self):
        return self._partner_action("ar_collections.ar_followup_log_call_action")

    def action_promise(self):
        return self._partner_action("ar_collections.ar_promise_record_action")

    def action_plan(self):
        return self._partner_action("ar_collections.ar_payment_plan_create_action")

    def action_snooze(self):
        return self._partner_action("ar_collections.ar_followup_snooze_action")

    def action_send_reminder(self):
        return self._partner_action("ar_collections.ar_followup_send_action")

    def action_dispute(self):
        """A new dispute on one of this customer's open invoices."""
        return self._partner_action(
            "ar_collections.ar_dispute_action_new",
            ar_partner_id=self.partner_id.id,
        )

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id._get_records_action()
