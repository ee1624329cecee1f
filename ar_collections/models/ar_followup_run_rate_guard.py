from odoo import models

from .ar_reference_rate import SOURCE_KIND


class ArFollowupRun(models.Model):
    """The run says when statutory interest waits for a reference rate table."""

    # One file per job: ar.followup.run is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.run"

    def _warn_stale_rates(self, holds):
        """Once per rule in the run's log, once per table to its responsible.

        ``holds``: (rule, invoice, first day waiting) from ``ar.fee._due_charges``.
        Nothing is charged for those days today; the first run after the table
        is confirmed charges them.
        """
        if not holds:
            return
        self.ensure_one()
        rules = self.env["ar.fee.rule"].browse({rule.id for rule, _m, _d in holds})
        tables = {
            table.kind: table
            for table in self.env["ar.reference.rate.kind"]._for_kinds(
                {SOURCE_KIND[rule.rate_source] for rule in rules}
            )
        }
        for rule in rules.sorted("id"):
            table = tables.get(SOURCE_KIND[rule.rate_source])
            warning = table._stale_warning(self.date) if table else False
            if not warning:
                continue
            message = self.env._(
                "Fee rule “%(rule)s”: %(warning)s", rule=rule.name, warning=warning
            )
            if message not in (self.log or ""):
                self._log(message)
            table._warn_manager(
                self.env._(
                    "Interest waits for the %(table)s", table=table.display_name
                ),
                message,
            )
