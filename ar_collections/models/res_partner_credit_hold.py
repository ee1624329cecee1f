from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import receivable_scope as scope


class ResPartner(models.Model):
    """Credit holds: set and lifted by hand, or by the daily workspace job
    over the credit limit and lifted once nothing is overdue."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    ar_credit_hold = fields.Boolean(
        "Credit hold", company_dependent=True, copy=False, tracking=True
    )

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
        self.env["ar.followup.action"]._record_many(
            [
                {
                    "action_type": action_type,
                    "partner": partner,
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

    @api.model
    def _ar_overdue_by_partner(self, company, today, partner_ids=None):
        """{commercial partner id: overdue amount in company currency}."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.partner_id, SUM(line.amount_chased)
                  FROM %(lines)s line
                 WHERE line.is_overdue
                 GROUP BY line.partner_id
                """,
                lines=scope.open_lines_sql(
                    self.env,
                    SQL(
                        "aml.company_id = %s %s",
                        company.id,
                        SQL("AND aml.partner_id IN %s", tuple(partner_ids))
                        if partner_ids
                        else SQL(""),
                    ),
                    today=today,
                ),
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
        self.env["ar.followup.action"].sudo()._record_many(
            [
                {
                    "action_type": "hold_lifted",
                    "partner": partner,
                    "company": company,
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
        self.env["ar.followup.action"].sudo()._record_many(
            [
                {
                    "action_type": "hold",
                    "partner": partner,
                    "company": company,
                    "note": self.env._(
                        "Overdue balance above the credit limit (%(limit)s).",
                        limit=partner.credit_limit,
                    ),
                    "origin": "run",
                    "amount_due": overdue[partner.id],
                }
                for partner in over
            ]
        )
        return over
