import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

from .ar_followup_run import EMAIL_PRIORITY

_logger = logging.getLogger(__name__)

# queue.job states as the run form shows a batch.
JOB_STATES = {
    "failed": "failed",
    "cancelled": "cancelled",
    "started": "running",
}


class ArFollowupRunJob(models.Model):
    """One batch job of a follow-up run on the job queue.

    A run on the queue is cut into batches of customers by commercial
    partner id: each batch takes the customers due after ``partner_id_after``
    up to ``partner_id_upto`` (no upper bound for the last), so together they
    take every due customer exactly once. A batch's work and its "done" mark
    are committed together by its job.
    """

    _name = "ar.followup.run.job"
    _description = "Follow-up run batch job"
    _order = "run_id, sequence"

    run_id = fields.Many2one(
        "ar.followup.run", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="run_id.company_id", store=True, index=True, readonly=True
    )
    sequence = fields.Integer("Batch", readonly=True)
    partner_id_after = fields.Integer(
        "After customer id", readonly=True, help="Customers with a higher id."
    )
    partner_id_upto = fields.Integer(
        "Up to customer id",
        readonly=True,
        help="Customers up to this id; 0 for the last batch, which has no end.",
    )
    partner_count = fields.Integer("Customers planned", readonly=True)
    partner_done = fields.Integer("Customers processed", readonly=True)
    date_done = fields.Datetime("Done", readonly=True)
    interruption_count = fields.Integer(
        "Interruptions",
        readonly=True,
        help="Attempts of this batch that did not finish (a worker killed or "
        "restarted, a write conflict) and were started again.",
    )
    error_count = fields.Integer("Errors", readonly=True)
    log = fields.Text(readonly=True)
    job_uuid = fields.Char("Job UUID", readonly=True, index=True)
    job_id = fields.Many2one("queue.job", compute="_compute_job")
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_job",
    )

    @api.depends("job_uuid", "date_done")
    def _compute_job(self):
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search_fetch([("uuid", "in", self.mapped("job_uuid"))], ["uuid", "state"])
        )
        by_uuid = {job.uuid: job for job in jobs}
        for batch in self:
            job = by_uuid.get(batch.job_uuid, jobs.browse())
            batch.job_id = job
            if batch.date_done:
                batch.state = "done"
            else:
                batch.state = JOB_STATES.get(job.state, "queued")

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------

    def _job_run_batch(self):
        """Job: follow up this batch's customers for its run.

        Safe to run again: a batch done is not done twice, and within a batch
        the run's re-check after locking and the unique indexes keep anything
        from being done twice, exactly as a resumed run.
        """
        self.ensure_one()
        batch = self.sudo()
        if not batch.try_lock_for_update():
            raise RetryableJobError(
                "Batch being processed by another worker", seconds=10
            )
        batch.invalidate_recordset()
        run = batch.run_id.with_company(batch.company_id)
        if batch.date_done:
            return f"Batch {batch.sequence} already done"
        if run.state != "running":
            return f"Run {run.id} is {run.state}: nothing done"
        interrupted = batch._previous_attempts()
        run = run.with_context(ar_run_job_id=batch.id)
        cutoff = run._company_cutoff(run.company_id, run.date)
        partner_ids = run._job_candidates(
            cutoff, batch.partner_id_after, batch.partner_id_upto
        )
        if partner_ids:
            run._process_batch(batch.env["res.partner"].browse(partner_ids))
            run._refresh_history_statistics()
        batch.write(
            {
                "date_done": fields.Datetime.now(),
                "partner_done": len(partner_ids),
                "interruption_count": interrupted,
            }
        )
        batch._log_done(partner_ids, interrupted)
        # The last batch closes the run itself when it sees the others done
        # (two last batches at once each see the other running: the job
        # waiting for them all closes it then).
        if all((batch.run_id.job_ids - batch).mapped("date_done")):
            closing = batch.run_id.with_company(batch.company_id)
            try:
                with self.env.cr.savepoint():
                    if closing.try_lock_for_update():
                        closing._close_queued_run()
            except pg_errors.SerializationFailure:
                # The run changed meanwhile: the job waiting for the batches
                # closes it.
                _logger.info("Run %s left to its finishing job", batch.run_id.id)
        emails = batch.env["ar.followup.action"].search(
            [
                ("run_id", "=", run.id),
                ("partner_id", "in", partner_ids),
                ("email_pending", "=", True),
            ]
        )
        if emails:
            emails.with_delay(
                priority=EMAIL_PRIORITY,
                description=self.env._(
                    "Follow-up emails of %(run)s, batch %(batch)s",
                    run=run.name,
                    batch=batch.sequence,
                ),
            )._job_write_emails()
        return f"{len(partner_ids)} customer(s), {len(emails)} email(s) to write"

    def _previous_attempts(self):
        """How many earlier attempts of this batch's job did not finish.

        The job runner counts them in the job's ``retry`` (a job found dead
        after its worker was killed, a job postponed after a write conflict);
        the attempt under way is not stored yet.
        """
        if not self.job_uuid:
            return 0
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(retry, 0) FROM queue_job WHERE uuid = %s",
                self.job_uuid,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else 0

    # ------------------------------------------------------------------
    # Log
    # ------------------------------------------------------------------

    def _log(self, message, error=False):
        """Add a line to the batch's log, stamped as the run's; the run
        gathers the batches' lines when it finishes."""
        now = fields.Datetime.now()
        for batch in self:
            tz = batch.company_id.partner_id.tz or self.env.user.tz or "UTC"
            stamp = fields.Datetime.context_timestamp(batch.with_context(tz=tz), now)
            batch.log = f"{batch.log or ''}{stamp:%Y-%m-%d %H:%M:%S}  {message}\n"
            if error:
                batch.error_count += 1

    def _log_done(self, partner_ids, interrupted):
        self.ensure_one()
        followed = len(
            self.env["ar.followup.action"]._read_group(
                [("run_id", "=", self.run_id.id), ("partner_id", "in", partner_ids)],
                ["partner_id"],
            )
        )
        message = self.env._(
            "Batch %(batch)s: %(count)s customer(s) gone through, %(followed)s "
            "followed up.",
            batch=self.sequence,
            count=len(partner_ids),
            followed=followed,
        )
        if interrupted:
            message += " " + self.env._(
                "Started again after %(count)s interrupted attempt(s).",
                count=interrupted,
            )
        self._log(message)
