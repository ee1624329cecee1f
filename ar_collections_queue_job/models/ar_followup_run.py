from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError

# Job priorities (lower first): the run's last job as soon as its batches are
# done, then the batches, then the emails they recorded, so that the run is
# not kept open behind the writing of its emails.
FINISH_PRIORITY = 5
BATCH_PRIORITY = 10
EMAIL_PRIORITY = 20


class ArFollowupRun(models.Model):
    """A company's run on the job queue: cut into batch jobs by customer id
    range, finished by a last job once every batch job is done."""

    _inherit = "ar.followup.run"

    job_ids = fields.One2many("ar.followup.run.job", "run_id", "Batch jobs")
    job_count = fields.Integer("Batches", compute="_compute_job_counts")
    job_done_count = fields.Integer("Batches done", compute="_compute_job_counts")
    job_failed_count = fields.Integer(
        "Batches failed",
        compute="_compute_job_counts",
        help="Batch jobs that failed: open the job to see why, then requeue it; "
        "the run finishes when its last batch is done.",
    )
    finish_job_uuid = fields.Char("Finishing job UUID", readonly=True)

    @api.depends("job_ids.date_done", "job_ids.job_uuid")
    def _compute_job_counts(self):
        for run in self:
            states = run.job_ids.mapped("state")
            run.job_count = len(states)
            run.job_done_count = states.count("done")
            run.job_failed_count = states.count("failed")

    def _is_queued(self):
        return bool(self.job_ids)

    def _process(self, commit):
        """On the queue, the run is cut into batch jobs instead of being
        worked through here; the jobs finish it."""
        self.ensure_one()
        if self.job_ids:
            return True  # its jobs carry it on
        if not self.company_id.ar_run_on_queue:
            return super()._process(commit)
        self.with_company(self.company_id)._enqueue_batch_jobs()
        if commit:
            self.env["ir.cron"]._commit_progress()
        return True

    def _enqueue_batch_jobs(self):
        """Cut the run's due customers into batches and queue a job each,
        plus the job that finishes the run once they are all done."""
        cutoff = self._company_cutoff(self.company_id, self.date)
        if cutoff is None:
            self._finish("skipped", self.env._("The company has no active policy."))
            return
        partner_ids = self._job_candidates(cutoff, self.partner_cursor, 0)
        self.partner_total = self.partner_done + len(partner_ids)
        self._log_start(cutoff, len(partner_ids))
        if not partner_ids:
            self._finish("done", self._finish_message())
            return
        size = self._batch_size()
        chunks = [partner_ids[i : i + size] for i in range(0, len(partner_ids), size)]
        vals_list = []
        after = self.partner_cursor
        for sequence, chunk in enumerate(chunks, 1):
            vals_list.append(
                {
                    "run_id": self.id,
                    "sequence": sequence,
                    "partner_id_after": after,
                    # The last batch has no end: a customer due later today
                    # still falls in a batch.
                    "partner_id_upto": chunk[-1] if sequence < len(chunks) else 0,
                    "partner_count": len(chunk),
                }
            )
            after = chunk[-1]
        batches = self.env["ar.followup.run.job"].create(vals_list)
        batch_jobs = [
            batch.delayable(
                priority=BATCH_PRIORITY,
                description=self.env._(
                    "Follow-up run %(run)s, batch %(batch)s of %(count)s",
                    run=self.name,
                    batch=batch.sequence,
                    count=len(batches),
                ),
            )._job_run_batch()
            for batch in batches
        ]
        finish = self.delayable(
            priority=FINISH_PRIORITY,
            description=self.env._("Follow-up run %(run)s: finish", run=self.name),
        )._job_finish_run()
        group(*batch_jobs).on_done(finish).delay()
        for batch, delayable in zip(batches, batch_jobs, strict=True):
            batch.job_uuid = delayable._generated_job.uuid
        self.finish_job_uuid = finish._generated_job.uuid
        self._log(
            self.env._(
                "Handed to the job queue: %(count)s batch job(s) of up to %(size)s "
                "customers; the run finishes when the last one is done.",
                count=len(batches),
                size=size,
            )
        )

    def _job_candidates(self, cutoff, after, upto):
        """Due customers with an id above ``after`` and up to ``upto`` (no
        end when 0), in id order: the daily run's own candidates."""
        self.env.flush_all()
        query = self._candidates_sql(
            self.company_id, cutoff, after, SQL("aml.partner_id")
        )
        if upto:
            query = SQL("%s AND aml.partner_id <= %s", query, upto)
        self.env.cr.execute(
            SQL("%s GROUP BY aml.partner_id ORDER BY aml.partner_id", query)
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _job_finish_run(self):
        """Job, once every batch job is done: closes the run, unless its last
        batch job already did."""
        self.ensure_one()
        run = self.sudo().with_company(self.company_id)
        if run.state != "running":
            return f"Run {run.id} is {run.state}: nothing to finish"
        if not run.try_lock_for_update():
            raise RetryableJobError("Run locked by another worker", seconds=10)
        run.invalidate_recordset()
        return run._close_queued_run()

    def _close_queued_run(self):
        """The run's totals, its log and its end, once every batch is done.

        Called on the locked run by the last batch job when it sees the others
        done, else by the job that waits for them all.
        """
        self.ensure_one()
        batches = self.job_ids.sorted("sequence")
        if self.state != "running" or not all(batches.mapped("date_done")):
            return "Batches left: the run finishes with the last one"
        self.write(
            {
                "log": (self.log or "")
                + "".join(batches.mapped(lambda b: b.log or "")),
                "partner_done": self.partner_done + sum(batches.mapped("partner_done")),
                "partner_cursor": max(
                    [self.partner_cursor, *batches.mapped("partner_id_upto")]
                ),
                "error_count": self.error_count + sum(batches.mapped("error_count")),
                "interruption_count": self.interruption_count
                + sum(batches.mapped("interruption_count")),
            }
        )
        self._finish("done", self._finish_message())
        return f"Run {self.id} done"

    def _log(self, message, error=False):
        """Inside a batch job, the line goes to the batch (concurrent batch
        jobs would otherwise all write the run's row)."""
        batch_id = self.env.context.get("ar_run_job_id")
        if batch_id:
            self.env["ar.followup.run.job"].sudo().browse(batch_id)._log(message, error)
            return
        super()._log(message, error)
