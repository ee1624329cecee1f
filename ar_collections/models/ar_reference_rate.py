from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

RATE_KINDS = [
    ("ecb", "ECB main refinancing rate (EU directive 2011/7/EU)"),
    ("boe", "Bank of England base rate (UK Late Payment Act)"),
    ("de_base", "German base rate (Basiszinssatz, BGB §247)"),
]
# Which table each statutory rule reads.
SOURCE_KIND = {"eu": "ecb", "uk": "boe", "de": "de_base"}


class ArReferenceRate(models.Model):
    """A published reference rate, in force from a date until the next one.

    Public figures shared by every company, kept by collections managers.
    """

    _name = "ar.reference.rate"
    _description = "Reference interest rate"
    _order = "kind, date_from desc"

    kind = fields.Selection(RATE_KINDS, required=True, index=True)
    date_from = fields.Date("In force from", required=True)
    rate = fields.Float("Rate (%)", digits=(16, 4), required=True)
    note = fields.Char("Source")
    date_table_confirmed = fields.Date(
        "Table confirmed on",
        compute="_compute_date_table_confirmed",
        help="The day this kind of rate's table was last known complete.",
    )

    _kind_date_uniq = models.Constraint(
        "UNIQUE(kind, date_from)",
        "A reference rate of this kind already starts on that date: edit it instead.",
    )

    @api.depends("kind")
    def _compute_date_table_confirmed(self):
        tables = {
            table.kind: table.date_confirmed
            for table in self.env["ar.reference.rate.kind"]._for_kinds(
                set(self.mapped("kind"))
            )
        }
        for rate in self:
            rate.date_table_confirmed = tables.get(rate.kind, False)

    @api.model_create_multi
    def create(self, vals_list):
        rates = super().create(vals_list)
        rates._confirm_tables()
        return rates

    def write(self, vals):
        result = super().write(vals)
        if {"kind", "date_from", "rate"} & set(vals):
            self._confirm_tables()
        return result

    def _confirm_tables(self):
        """A manager entering a rate has checked the table today. Not so for
        the rates shipped in data files; the updater confirms on its own."""
        context = self.env.context
        if context.get("install_mode") or context.get("ar_rate_update"):
            return
        self.env["ar.reference.rate.kind"]._for_kinds(
            set(self.mapped("kind"))
        )._confirm("rate")

    @api.constrains("rate")
    def _check_rate(self):
        for rate in self:
            if rate.rate < -5 or rate.rate > 50:
                raise ValidationError(
                    self.env._(
                        "The reference rate %(rate)s%% from %(date)s is not "
                        "plausible: enter it in percent, e.g. 2.15 for 2.15%%.",
                        rate=rate.rate,
                        date=format_date(self.env, rate.date_from),
                    )
                )

    @api.depends("kind", "date_from", "rate")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for rate in self:
            rate.display_name = f"{kinds.get(rate.kind, '')}: {rate.rate}% " + (
                f"({rate.date_from})" if rate.date_from else ""
            )

    @api.model
    def _rate_table(self, kind):
        """(date, rate) pairs of one kind, oldest first, for the fee engine."""
        rates = self.sudo().search_fetch(
            [("kind", "=", kind)], ["date_from", "rate"], order="date_from"
        )
        return [(r.date_from, Decimal(str(r.rate))) for r in rates]
