from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from ..engine.fees import rates_confirmed_until, reference_day
from .ar_reference_rate import RATE_KINDS, SOURCE_KIND

# The law (fee rule rate source) that reads each kind of rate.
KIND_SOURCE = {kind: source for source, kind in SOURCE_KIND.items()}
CONFIRMED_BY = [
    ("shipped", "Shipped with the module"),
    ("update", "Automatic update"),
    ("rate", "Rate entered"),
    ("manual", "Confirmed still in force"),
]
ACTIVITY_TYPE = "ar_collections.mail_activity_type_reference_rate"


class ArReferenceRateKind(models.Model):
    """One kind of reference rate: its table's freshness and where it comes from.

    Statutory interest only uses a half-year's rate once the table is known
    to be complete on that half-year's reference day (``date_confirmed``):
    the automatic update, a manager entering a rate or the "Still in force"
    button confirm it. Public figures, shared by every company.
    """

    _name = "ar.reference.rate.kind"
    _description = "Reference rate table"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"
    _rec_name = "kind"

    kind = fields.Selection(RATE_KINDS, "Rate", required=True, readonly=True)
    sequence = fields.Integer(default=10)
    update_active = fields.Boolean(
        "Update automatically",
        default=True,
        tracking=True,
        help="The scheduled action reads the rate from the source address every day.",
    )
    source_url = fields.Char(
        "Source address",
        tracking=True,
        help="Address of the central bank's data service answering in its "
        "documented CSV format (see the README).",
    )
    date_confirmed = fields.Date(
        "Confirmed on",
        help="The table was known complete on this day: updated from the source, "
        "a rate entered, or confirmed still in force. Statutory interest of a "
        "half-year whose reference day comes later waits until it is confirmed.",
    )
    confirmed_by = fields.Selection(CONFIRMED_BY, "How", readonly=True)
    confirmed_user_id = fields.Many2one("res.users", "Confirmed by", readonly=True)
    date_last_update = fields.Datetime("Last update attempt", readonly=True)
    update_error = fields.Text("Update problem", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        domain=[("share", "=", False)],
        help="Gets an activity when the update fails or interest waits for this "
        "table; empty: the first collections manager.",
    )
    rate_current = fields.Float(
        "Rate in force", digits=(16, 4), compute="_compute_rate_current"
    )
    date_rate_current = fields.Date("In force since", compute="_compute_rate_current")

    _kind_uniq = models.Constraint(
        "UNIQUE(kind)", "Each kind of reference rate has one table."
    )

    @api.depends("kind")
    @api.depends_context("lang")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for table in self:
            table.display_name = labels.get(table.kind, "")

    @api.depends("kind")
    def _compute_rate_current(self):
        today = fields.Date.context_today(self)
        for table in self:
            in_force = [
                (day, rate)
                for day, rate in self.env["ar.reference.rate"]._rate_table(table.kind)
                if day <= today
            ]
            day, rate = in_force[-1] if in_force else (False, 0.0)
            table.date_rate_current = day
            table.rate_current = float(rate)

    @api.constrains("update_active", "source_url")
    def _check_source(self):
        for table in self:
            url = (table.source_url or "").strip()
            if table.update_active and not url:
                raise ValidationError(
                    self.env._(
                        "%(table)s: enter the source address, or turn “Update "
                        "automatically” off and keep the table by hand.",
                        table=table.display_name,
                    )
                )
            if url and not url.startswith(("https://", "http://")):
                raise ValidationError(
                    self.env._(
                        "%(table)s: the source address must start with https:// "
                        "(got “%(url)s”).",
                        table=table.display_name,
                        url=url,
                    )
                )

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def _confirm(self, how):
        """The tables are known complete today; what waited can be charged."""
        if not self:
            return
        self = self.sudo()
        self.write(
            {
                "date_confirmed": fields.Date.context_today(self),
                "confirmed_by": how,
                "confirmed_user_id": self.env.uid,
            }
        )
        self.activity_feedback(
            [ACTIVITY_TYPE], feedback=self.env._("The table is confirmed.")
        )

    def action_confirm_in_force(self):
        """Button: nothing was published since the last rate; it still applies."""
        self.check_access("write")
        for table in self:
            table._confirm("manual")
            table.message_post(
                body=self.env._(
                    "Confirmed still in force: %(rate)s%% since %(date)s.",
                    rate=table.rate_current,
                    date=format_date(self.env, table.date_rate_current),
                )
            )
        return True

    @api.model
    def _for_kinds(self, kinds):
        return self.sudo().search([("kind", "in", list(kinds))])

    @api.model
    def _rates_confirmed_until(self, rate_source):
        """Last day a statutory rule of ``rate_source`` may charge interest for
        (None: no table to guard, the rule charges as before)."""
        table = self._for_kinds([SOURCE_KIND[rate_source]])
        if not table:
            return None
        return rates_confirmed_until(rate_source, table.date_confirmed or date.min)

    def _stale_warning(self, today):
        """Why statutory interest after this table's confirmed day waits, or
        False when today's half-year is confirmed."""
        self.ensure_one()
        source = KIND_SOURCE[self.kind]
        until = rates_confirmed_until(source, self.date_confirmed or date.min)
        if today <= until:
            return False
        first = until + timedelta(days=1)
        return self.env._(
            "Interest from %(date)s is not charged yet: it needs the %(table)s "
            "of %(reference)s and the table was last confirmed on %(confirmed)s. "
            "Update it or confirm it is still in force under Collections > "
            "Configuration > Reference rate tables; the next run charges it.",
            date=format_date(self.env, first),
            table=self.display_name,
            reference=format_date(self.env, reference_day(source, first)),
            confirmed=format_date(self.env, self.date_confirmed)
            if self.date_confirmed
            else self.env._("never"),
        )

    def _responsible(self):
        self.ensure_one()
        if self.user_id.active:
            return self.user_id
        managers = self.env.ref("ar_collections.ar_collections_group_manager")
        users = managers.sudo().all_user_ids.filtered(
            lambda u: u.active and not u.share and not u._is_superuser()
        )
        return users.sorted("id")[:1] or self.env.ref("base.user_admin")

    def _warn_manager(self, summary, note):
        """One open activity per table for its responsible, however often warned."""
        for table in self.sudo():
            if table.activity_search([ACTIVITY_TYPE]):
                continue
            table.activity_schedule(
                ACTIVITY_TYPE,
                summary=summary,
                note=note,
                user_id=table._responsible().id,
            )
