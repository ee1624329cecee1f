from odoo import models
from odoo.tools import format_date

from . import receivable_scope as scope

SALE_DOCUMENTS = ("out_invoice", "out_refund", "out_receipt")


class ArCustomerPage(models.Model):
    """What the page shows: read with sudo, always narrowed to the page's
    commercial partner and company, through ``receivable_scope``."""

    # The page's content apart from its link and token.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.customer.page"

    def _ar_scope_domain(self):
        return [
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]

    def _ar_open_lines(self):
        """What the customer still has to pay in this company (unpaid lines)."""
        return (
            self.env["account.move.line"]
            .sudo()
            .search(
                [*self._ar_scope_domain(), *scope.UNPAID_DOMAIN],
                order="date_maturity, id",
            )
        )

    def _ar_documents(self):
        """The customer's posted sales documents in this company (their PDFs)."""
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", SALE_DOCUMENTS),
                ]
            )
        )

    def _ar_payable_moves(self):
        """Open invoices of the page the customer can pay online."""
        return self._ar_open_lines().move_id.filtered(
            lambda move: move.move_type in ("out_invoice", "out_receipt")
        )

    def _ar_content(self):
        """Rows and totals of the page, in the page's company and language."""
        self.ensure_one()
        page = self.sudo()
        today = scope.company_today(self.env, page.company_id)
        lines = page._ar_open_lines()
        overdue = set(
            self.env["account.move.line"]
            .sudo()
            .search([("id", "in", lines.ids), *scope.overdue_domain(today)])
            .ids
        )
        rows = []
        totals = {}
        for move, move_lines in lines.grouped("move_id").items():
            due = min(scope.line_due_date(line) for line in move_lines)
            currency = move.currency_id
            amount = currency.round(sum(move_lines.mapped("amount_residual_currency")))
            is_overdue = any(line.id in overdue for line in move_lines)
            rows.append(
                {
                    "move": move,
                    "date": move.invoice_date or move.date,
                    "date_due": due,
                    "days_overdue": (today - due).days if is_overdue else 0,
                    "is_overdue": is_overdue,
                    "currency": currency,
                    "amount": amount,
                    "payable": move.move_type in ("out_invoice", "out_receipt"),
                    "has_pdf": move.move_type in SALE_DOCUMENTS,
                }
            )
            total = totals.setdefault(
                currency, {"currency": currency, "open": 0.0, "overdue": 0.0}
            )
            total["open"] += amount
            if is_overdue:
                total["overdue"] += sum(
                    line.amount_residual_currency
                    for line in move_lines
                    if line.id in overdue
                )
        rows.sort(key=lambda row: (row["date_due"], row["move"].id))
        scoped = [
            ("partner_id", "=", page.partner_id.id),
            ("company_id", "=", page.company_id.id),
        ]
        env = self.env
        return {
            "today": today,
            "rows": rows,
            "totals": list(totals.values()),
            "fees": env["ar.fee"]
            .sudo()
            .search([*scoped, ("state", "=", "charged")], order="date desc, id desc"),
            "promises": env["ar.promise"]
            .sudo()
            .search([*scoped, ("state", "=", "open")], order="date_promised, id"),
            "plans": env["ar.payment.plan"]
            .sudo()
            .search([*scoped, ("state", "in", ("draft", "active"))], order="id desc"),
            "disputes": env["ar.dispute"]
            .sudo()
            .search(scoped, order="date desc, id desc", limit=20),
            "format_date": lambda day: format_date(env, day),
        }

    def _ar_local_url(self, **params):
        """The page's signed path (for redirects inside the site)."""
        self.ensure_one()
        url = f"{self.access_url}?access_token={self.sudo().access_token}"
        for key, value in params.items():
            url += f"&{key}={value}"
        return url

    def _ar_message(self, code):
        """The confirmation or notice a redirect asks for, by code only: the
        page never echoes text from the URL."""
        messages = {
            "paid": self.env._(
                "Thank you: your payment is being processed. Paid invoices "
                "leave this list once it is confirmed."
            ),
            "select": self.env._("Select at least one invoice to pay."),
            "paid_claim": self.env._(
                "Thank you: we have noted your payment. We stop reminding you "
                "of these invoices while it reaches us."
            ),
            "promise": self.env._("Thank you: your promise to pay is recorded."),
            "plan_active": self.env._(
                "Your payment plan is active: download the agreement below."
            ),
            "plan_requested": self.env._(
                "Your payment plan request was sent to your collector: you will "
                "hear from us shortly."
            ),
            "dispute": self.env._(
                "Your question was sent to your collector: its status shows below."
            ),
            "currency": self.env._(
                "Invoices in different currencies cannot be paid together: "
                "select invoices in one currency."
            ),
        }
        return messages.get(code)

    def _ar_statement_pdf(self):
        """The statement of account of the page's customer and company."""
        self.ensure_one()
        report = (
            self.env["ir.actions.report"]
            .sudo()
            .with_company(self.company_id)
            .with_context(lang=self.partner_id.lang)
        )
        pdf, _type = report._render_qweb_pdf(
            "ar_collections.action_report_ar_statement", self.partner_id.ids
        )
        return pdf

    def _ar_statement_filename(self):
        return self.env._(
            "Statement of account - %(partner)s.pdf", partner=self.partner_id.name
        )
