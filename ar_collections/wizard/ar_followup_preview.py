from odoo import api, fields, models
from odoo.tools import SQL

from ..models.ar_followup_run_batch import LEVEL_ACTIONS


class ArFollowupPreview(models.TransientModel):
    """What today's run would do, computed without writing anything."""

    _name = "ar.followup.preview"
    _description = "Follow-up run preview"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(readonly=True)
    line_ids = fields.One2many("ar.followup.preview.line", "preview_id", readonly=True)
    customer_count = fields.Integer(compute="_compute_totals")
    invoice_count = fields.Integer(compute="_compute_totals")

    @api.depends("date", "company_id")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._(
                "Preview of %(date)s", date=preview.date or ""
            )

    @api.depends("line_ids")
    def _compute_totals(self):
        for preview in self:
            preview.customer_count = len(preview.line_ids.partner_id)
            preview.invoice_count = len(preview.line_ids.move_id)

    @api.model
    def action_open(self, company=None):
        """Build the preview for ``company`` (default: current) and open it."""
        company = company or self.env.company
        preview = self.create(self._prepare_preview_vals(company))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview of today's follow-up"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _prepare_preview_vals(self, company):
        Run = self.env["ar.followup.run"].with_company(company)
        today = Run._company_today(company)
        cutoff = Run._company_cutoff(company, today)
        lines = []
        if cutoff is not None:
            self.env.flush_all()
            self.env.cr.execute(
                Run._candidates_sql(company, cutoff, 0, SQL("DISTINCT aml.partner_id"))
            )
            partners = self.env["res.partner"].browse(
                row[0] for row in self.env.cr.fetchall()
            )
            plans = Run._plan(company, today, partners)
            Run._drop_done_decisions(plans, company, today)
            for plan in plans:
                lines += self._prepare_plan_lines(plan, today)
        return {"company_id": company.id, "date": today, "line_ids": lines}

    @api.model
    def _prepare_plan_lines(self, plan, today):
        moving = {d.invoice_id for d in plan.moving}
        levels = self.env["ar.followup.level"].browse(d.level_id for d in plan.moving)
        approval = any(levels.mapped("requires_approval"))
        labels = self.env["ar.followup.action"]._action_type_labels()
        actions = ", ".join(
            labels[action_type]
            for action_type, flag in LEVEL_ACTIONS
            if flag and levels.filtered(flag)
        )
        rows = {row.move_id: row for row in plan.invoices}
        fees = self._preview_fees(plan, today)
        lines = []
        for decision in plan.decisions:
            acts = decision.invoice_id in moving
            reason = decision.skip_reason
            if decision.is_action and not acts:
                reason = "done_today"  # dropped by the re-check of the history
            lines.append(
                fields.Command.create(
                    {
                        "partner_id": plan.partner.id,
                        "move_id": decision.invoice_id,
                        "days_overdue": decision.days_overdue,
                        "current_level_id": rows[decision.invoice_id].level_id,
                        "new_level_id": decision.level_id if acts else False,
                        "actions": actions if acts else False,
                        "needs_approval": approval and acts,
                        "skip_reason": reason,
                        "date_next": decision.date_next,
                        "fee_amount": sum(
                            amount
                            for amount, _text in fees.get(decision.invoice_id, [])
                        ),
                        "fee_calculation": "\n".join(
                            text for _amount, text in fees.get(decision.invoice_id, [])
                        )
                        or False,
                    }
                )
            )
        return lines

    @api.model
    def _preview_fees(self, plan, today):
        """{invoice id: [(amount, explanation)]} of the fees due today."""
        if plan.snoozed_until and plan.snoozed_until > today:
            return {}
        moves = self.env["account.move"].browse(row.move_id for row in plan.invoices)
        levels = {
            d.invoice_id: self.env["ar.followup.level"].browse(d.level_id)
            for d in plan.moving
        }
        result = {}
        Fee = self.env["ar.fee"]
        for charge, rule, move, _level in Fee._due_charges(moves, today, levels):
            result.setdefault(move.id, []).append(
                (float(charge.amount), Fee._explain(charge, rule, move))
            )
        return result

    def action_run_now(self):
        """Run today's follow-up for real."""
        self.ensure_one()
        return (
            self.env["ar.followup.run"].with_company(self.company_id).action_run_now()
        )


class ArFollowupPreviewLine(models.TransientModel):
    _name = "ar.followup.preview.line"
    _description = "Follow-up run preview line"
    _order = "partner_id, days_overdue desc"

    preview_id = fields.Many2one(
        "ar.followup.preview", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", "Customer")
    move_id = fields.Many2one("account.move", "Invoice")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(related="move_id.amount_residual")
    days_overdue = fields.Integer()
    current_level_id = fields.Many2one("ar.followup.level", "Current level")
    new_level_id = fields.Many2one("ar.followup.level", "New level")
    actions = fields.Char()
    needs_approval = fields.Boolean()
    fee_amount = fields.Monetary("Fee today")
    fee_calculation = fields.Text("Fee calculation")
    skip_reason = fields.Selection(
        [
            ("excluded", "Excluded"),
            ("handed_over", "Handed over"),
            ("suspended", "Suspended"),
            ("not_due", "Not due yet"),
            ("grace", "Within grace days"),
            ("up_to_date", "Level already reached"),
            ("snoozed", "Customer snoozed"),
            ("below_minimum", "Below minimum amount"),
            ("no_net_balance", "No net balance"),
            ("done_today", "Already followed up today"),
            ("cadence", "Too soon after the last level"),
            ("recent_message", "Customer contacted recently"),
        ],
        "Why nothing",
    )
    date_next = fields.Date(
        "Next level on",
        help="When the spacing between levels (or between messages to this "
        "customer) lets the next level come.",
    )
