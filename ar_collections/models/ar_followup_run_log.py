from odoo import fields, models
from odoo.tools.misc import format_amount, format_date


class ArFollowupRun(models.Model):
    """The run's log (its Log tab): a stamped line per event and per batch,
    and the closing line with what the run did in all."""

    _inherit = "ar.followup.run"

    def _log(self, message, error=False):
        """Add a line to the run's log (its Log tab), stamped with the
        company's local time; ``error`` also counts it in the run's errors."""
        now = fields.Datetime.now()
        for run in self:
            tz = run.company_id.partner_id.tz or self.env.user.tz or "UTC"
            stamp = fields.Datetime.context_timestamp(run.with_context(tz=tz), now)
            run.log = f"{run.log or ''}{stamp:%Y-%m-%d %H:%M:%S}  {message}\n"
            if error:
                run.error_count += 1

    def _log_start(self, cutoff, remaining):
        self.ensure_one()
        if self.partner_done:
            message = self.env._(
                "Continuing: %(count)s customer(s) left to go through.",
                count=remaining,
            )
        else:
            message = self.env._(
                "Started (%(trigger)s): %(count)s customer(s) with invoices due on "
                "or before %(cutoff)s to go through.",
                trigger=dict(
                    self._fields["trigger"]._description_selection(self.env)
                ).get(self.trigger, ""),
                count=remaining,
                cutoff=format_date(self.env, cutoff),
            )
        self._log(message)

    def _log_batch(self, partner_ids):
        """One line per batch: its customers and what the run did for them.

        Per customer, the log only holds what needs a look (an error, a fee
        that could not be computed, a customer busy elsewhere): the actions
        themselves are listed on the Actions tab.
        """
        self.ensure_one()
        groups = self.env["ar.followup.action"]._read_group(
            [("run_id", "=", self.id), ("partner_id", "in", partner_ids)],
            ["partner_id", "action_type", "state"],
            ["__count"],
        )
        type_labels = self.env["ar.followup.action"]._action_type_labels()
        per_type = dict.fromkeys(type_labels, 0)
        proposed = 0
        for _partner, action_type, state, count in groups:
            per_type[action_type] += count
            if state == "proposed":
                proposed += count
        followed = len({partner for partner, _type, _state, _count in groups})
        first = self.partner_done + 1
        parts = [
            self.env._(
                "Customers %(first)s-%(last)s of %(total)s: %(followed)s followed up",
                first=first,
                last=self.partner_done + len(partner_ids),
                total=self.partner_total,
                followed=followed,
            )
        ]
        done = ", ".join(
            f"{type_labels[action_type]}: {count}"
            for action_type, count in per_type.items()
            if count
        )
        if done:
            parts[0] += f" ({done})"
        if proposed:
            parts.append(self.env._("%(count)s action(s) to approve", count=proposed))
        if len(partner_ids) > followed:
            parts.append(
                self.env._(
                    "%(count)s with nothing due today",
                    count=len(partner_ids) - followed,
                )
            )
        self._log("; ".join(parts) + ".")

    def _finish_message(self):
        """The last line of a finished run: what it did in all."""
        self.ensure_one()
        # The batches wrote their actions in SQL: read the totals afresh.
        self.invalidate_recordset(["customer_count", "amount_overdue"])
        message = self.env._(
            "Finished: %(done)s customer(s) gone through, %(followed)s followed up, "
            "%(amount)s overdue then.",
            done=self.partner_done,
            followed=self.customer_count,
            amount=format_amount(self.env, self.amount_overdue, self.currency_id),
        )
        if self.error_count:
            message += " " + self.env._(
                "%(count)s error(s): see the lines above.", count=self.error_count
            )
        return message
