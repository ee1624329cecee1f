from odoo import models


class ResPartner(models.Model):
    """Statement of account of a customer: its lines, totals and how to pay."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

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
                "amount_handed_over:sum",
                "amount_dispute:sum",
                "amount_credit:sum",
                "amount_residual:sum",
            ],
        )[0]
        keys = [
            "current",
            "1_30",
            "31_60",
            "61_90",
            "90_plus",
            "handed_over",
            "dispute",
            "credit",
            "total",
        ]
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
        Action = self.env["ar.followup.action"]
        entry = Action.new(
            {
                "company_id": company.id,
                "partner_id": self.commercial_partner_id.id,
                "line_ids": Action._line_commands(moves),
            }
        )
        return entry.payment_summary_html
