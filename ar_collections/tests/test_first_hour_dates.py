"""Dates in titles and notes are written the reader's way, never ISO."""

from datetime import timedelta

from odoo.tests import tagged
from odoo.tools.misc import format_date

from .test_commitments import CommitmentsCommon


@tagged("post_install", "-at_install")
class TestDatesInTitles(CommitmentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.partner = cls.customer("Dates SA")
        cls.invoice_late = cls.invoice(cls.partner, 400, days_overdue=20)

    def french(self, record):
        return record.with_context(lang="fr_FR")

    def test_promise_title(self):
        promise = self.promise(self.invoice_late, days=14)
        day = self.today + timedelta(days=14)
        title = self.french(promise).display_name
        self.assertIn(day.strftime("%d/%m/%Y"), title)
        self.assertNotIn(day.isoformat(), title)

    def test_run_title_and_snooze_note(self):
        run = self.run_followup()
        title = self.french(run).display_name
        self.assertIn(self.today.strftime("%d/%m/%Y"), title)
        self.assertNotIn(self.today.isoformat(), title)
        until = self.today + timedelta(days=10)
        self.env["ar.followup.snooze"].with_context(
            lang="fr_FR", active_model="res.partner", active_ids=self.partner.ids
        ).create({"date_until": until}).action_snooze()
        note = self.actions_of(self.partner, action_type="snooze").note
        self.assertIn(format_date(self.french(self.partner).env, until), note)
        self.assertNotIn(until.isoformat(), note)
