from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.workspace import PaymentHistory, behaviour_score
from . import receivable_scope as scope


class ResPartner(models.Model):
    """Payment behaviour score of a customer, explained, feeding Odoo's trust."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

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

    @api.model
    def _ar_score_histories(self, partner_ids, today):
        """{partner id: PaymentHistory} over the last year, in three grouped reads."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT doc.partner_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE doc.day_paid > doc.date_due),
                       AVG(GREATEST(doc.day_paid - doc.date_due, 0))
                  FROM (SELECT aml.partner_id, aml.move_id,
                               MAX(%(due)s) AS date_due,
                               MAX(paid.day) AS day_paid
                          FROM account_move_line aml
                          JOIN account_account account
                            ON account.id = aml.account_id
                          JOIN (SELECT apr.debit_move_id AS line_id,
                                       MAX(apr.max_date) AS day
                                  FROM account_partial_reconcile apr
                                 GROUP BY apr.debit_move_id) paid
                            ON paid.line_id = aml.id
                         WHERE %(receivable)s
                           AND aml.balance > 0
                           AND aml.partner_id IN %(partners)s
                         GROUP BY aml.partner_id, aml.move_id
                        -- Paid: every receivable line of the document settled.
                        HAVING BOOL_AND(aml.reconciled)) doc
                 WHERE doc.date_due >= %(since)s
                 GROUP BY doc.partner_id
                """,
                due=scope.due_date_sql(),
                receivable=scope.receivable_sql(),
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
        today = today or scope.company_today(self.env, self.env.company)
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
