from odoo import models


class ArFollowupAction(models.Model):
    """Writing the run's emails in jobs of the queue."""

    _inherit = "ar.followup.action"

    def _job_write_emails(self):
        """Job: write and queue the emails of these actions.

        Each action is locked and re-read first, as the scheduled action
        does: an email being written by the scheduled action or another job is
        left to it, and an email already written is not written again.
        """
        actions = self.sudo()
        locked = actions.try_lock_for_update()
        locked.invalidate_recordset(["email_pending"])
        locked = locked.filtered("email_pending")
        for company, group in locked.grouped("company_id").items():
            group.with_company(company)._send_pending_emails()
        return f"{len(locked)} email(s) written, {len(actions) - len(locked)} left"
