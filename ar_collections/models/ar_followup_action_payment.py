from odoo import api, fields, models
from odoo.tools.misc import format_date, formatLang


class ArFollowupAction(models.Model):
    """What a reminder asks the customer to pay: principal, fees, how to pay."""

    _inherit = "ar.followup.action"

    principal_line_ids = fields.One2many(
        "ar.followup.action.line",
        compute="_compute_payment_summary",
        string="Overdue invoices",
        help="The invoices of this entry, without late fee invoices.",
    )
    summary_currency_id = fields.Many2one(
        "res.currency", compute="_compute_payment_summary"
    )
    amount_principal = fields.Monetary(
        "Invoices overdue",
        compute="_compute_payment_summary",
        currency_field="summary_currency_id",
    )
    amount_fees = fields.Monetary(
        "Late fees and interest",
        compute="_compute_payment_summary",
        currency_field="summary_currency_id",
    )
    amount_to_pay = fields.Monetary(
        "Total to pay",
        compute="_compute_payment_summary",
        currency_field="summary_currency_id",
    )
    open_fee_ids = fields.Many2many(
        "ar.fee", compute="_compute_payment_summary", string="Unpaid late fees"
    )
    payment_reference = fields.Char(compute="_compute_payment_summary")
    payment_summary_html = fields.Html(
        compute="_compute_payment_summary_html", sanitize=False
    )

    @api.depends("line_ids.move_id", "line_ids.amount_residual")
    def _compute_payment_summary(self):
        # One search for all the actions (a run's batch), split per invoice.
        open_fees = self.env["ar.fee"].search(
            [
                ("move_id", "in", self.line_ids.move_id.ids),
                ("state", "=", "charged"),
                ("fee_move_id.payment_state", "in", ("not_paid", "partial")),
            ]
        )
        # One conversion rate per currency pair, company and day for the batch
        # (``_convert`` looks the rate up for each amount).
        rates = {}

        def convert(amount, from_currency, to_currency, company, date):
            """``from_currency._convert(amount, to_currency, company, date)``."""
            if not amount:
                return 0.0
            key = (from_currency, to_currency, company, date)
            if key not in rates:
                rates[key] = from_currency._get_conversion_rate(*key)
            return to_currency.round(amount * rates[key])

        for action in self:
            lines = action.line_ids.filtered(
                lambda line: not line.move_id.ar_is_fee_document
            )
            move_ids = set(lines.move_id.ids)
            fees = open_fees.filtered(lambda fee, ids=move_ids: fee.move_id.id in ids)
            currencies = lines.currency_id | fees.currency_id
            currency = currencies if len(currencies) == 1 else action.currency_id
            date = action.date or fields.Date.context_today(action)

            def to_currency(
                amount, from_currency, currency=currency, date=date, action=action
            ):
                return convert(amount, from_currency, currency, action.company_id, date)

            principal = sum(
                to_currency(line.amount_residual, line.currency_id) for line in lines
            )
            fee_total = sum(to_currency(fee.amount, fee.currency_id) for fee in fees)
            action.principal_line_ids = lines
            action.summary_currency_id = currency
            action.amount_principal = principal
            action.amount_fees = fee_total
            action.amount_to_pay = currency.round(principal + fee_total)
            action.open_fee_ids = fees
            action.payment_reference = action._ar_payment_reference(lines)

    def _ar_payment_reference(self, lines):
        """The customer's reference, or the numbers of the invoices to pay."""
        if self.partner_id.ref:
            return self.partner_id.ref
        if len(lines.move_id) == 1:
            return lines.move_id.payment_reference or lines.move_id.name
        return " ".join(lines.move_id.mapped("name"))[:140]

    def _ar_payment_qr(self):
        """A payment QR code (e.g. EPC/SEPA) as a data URL, when Odoo can make one."""
        self.ensure_one()
        bank = self.company_id.partner_id.bank_ids[:1]
        if not bank or not self.amount_to_pay:
            return False
        qr = bank.build_qr_code_base64(
            self.amount_to_pay,
            self.payment_reference,
            None,
            self.summary_currency_id,
            self.partner_id,
            silent_errors=True,
        )
        return qr or False

    @api.depends_context("lang")
    @api.depends("line_ids")
    def _compute_payment_summary_html(self):
        for action in self:
            action.payment_summary_html = self.env["ir.qweb"]._render(
                "ar_collections.followup_payment_summary",
                {
                    "o": action,
                    "qr": action._ar_payment_qr(),
                    # In the reader's language (the email's or letter's lang).
                    "format_date": lambda day: format_date(self.env, day),
                    "format_rate": lambda rate: formatLang(self.env, rate, digits=2),
                },
            )
