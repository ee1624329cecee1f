from odoo.addons.ar_collections.tests.common import ArCollectionsCommon
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import JobCounter, JobMixin


class ArQueueCommon(ArCollectionsCommon, JobMixin):
    """The collections test company with its run on the job queue, in batches
    of two customers, and a book of seven customers due (one not yet)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ar_run_on_queue = True
        cls.env["ir.config_parameter"].sudo().set_param(
            "ar_collections.batch_size", "2"
        )
        cls.customers = cls.env["res.partner"]
        cls.invoices = cls.env["account.move"]
        for number, days in enumerate((5, 20, 40, 16, 2, 35, 9, 60), 1):
            partner = cls.customer(f"Customer {number}")
            cls.customers |= partner
            cls.invoices |= cls.invoice(partner, 100 * number, days_overdue=days)
        # One customer already on the second level, one never due for action.
        cls.invoices[3].ar_level_id = cls.level_1

    def job_counter(self):
        """queue_job's counter of stored jobs, read as the job runner does
        (the test user does not manage the queue)."""
        return JobCounter(self.env(su=True))

    @staticmethod
    def trapped(trap, method_name):
        """The jobs trapped for the method ``method_name``."""
        return [job for job in trap.enqueued_jobs if job.method_name == method_name]

    def start_run(self, trigger="manual"):
        """Start today's run as Run now does: on the queue, it hands its
        batches to jobs and returns."""
        run = self.env["ar.followup.run"].sudo()._start_or_resume(self.company, trigger)
        self.assertTrue(run, "a run should start")
        run._process(commit=False)
        return run

    def perform_stored(self, jobs):
        """Do stored jobs as the job runner's worker does: started, performed,
        done, then the jobs waiting for them queued."""
        for record in jobs.sorted("id"):
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            job.perform()
            job.set_done()
            job.store()
            job.enqueue_waiting()
        self.env.invalidate_all()

    def book_state(self):
        """What a run leaves on the book: levels and next dates, the history
        (customer, type, level, state) and the emails (customer, subject, body)."""
        self.env.invalidate_all()
        actions = self.env["ar.followup.action"].search(
            [("partner_id", "in", self.customers.ids)]
        )
        mails = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "in", self.customers.ids)]
        )
        return {
            "invoices": sorted(
                (m.id, m.ar_level_id.id, m.ar_date_next_action) for m in self.invoices
            ),
            "actions": sorted(
                (a.partner_id.id, a.action_type, a.level_id.id, a.state)
                for a in actions
            ),
            "mails": sorted((m.res_id, m.subject, m.body_html) for m in mails),
        }
