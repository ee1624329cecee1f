"""Contact rules of a policy on a real book, with a frozen clock in several
time zones: the daily run and the manual actions hold back and say why."""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.misc import format_date

from .common import ArCollectionsCommon


def utc_of(day, hour, tz, minute=0):
    """The naive UTC datetime of ``hour`` on ``day`` in the zone ``tz``."""
    local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


class ContactRulesCommon(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Paris"
        # A Monday to come, whatever day the tests run: a working day.
        cls.monday = cls.today + timedelta(days=7 - cls.today.weekday())

    def at(self, day, hour=10, minute=0):
        """Freeze the clock at ``hour`` UTC on ``day`` (Paris: the same day)."""
        return freeze_time(datetime.combine(day, time(hour, minute)))

    def contact(self, partner, action_type, days_ago):
        """A contact made ``days_ago`` days before the Monday."""
        return self.env["ar.followup.action"].create(
            {
                "company_id": self.company.id,
                "partner_id": partner.id,
                "action_type": action_type,
                "origin": "manual",
                "state": "done",
                "date": self.monday - timedelta(days=days_ago),
            }
        )

    def due_for_firm_reminder(self, partner, day):
        """An invoice that had the friendly reminder 13 days before ``day``:
        the firm reminder (email and call) is due that day."""
        move = self.invoice(partner, 500, days_overdue=20)
        move.write(
            {
                "ar_level_id": self.level_1.id,
                "ar_date_last_action": day - timedelta(days=13),
            }
        )
        return move

    def preview_lines(self, partner):
        Preview = self.env["ar.followup.preview"]
        preview = Preview.create(Preview._prepare_preview_vals(self.company))
        return preview.line_ids.filtered(lambda line: line.partner_id == partner)

    def call_activities(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "ar_collections.mail_activity_type_collection_call"
                    ).id,
                ),
            ]
        )


@tagged("post_install", "-at_install")
class TestContactHours(ContactRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write(
            {
                "contact_hours": True,
                "contact_hour_from": 8.0,
                "contact_hour_to": 21.0,
                "email_outside_hours": "hold",
            }
        )
        cls.new_york = cls.customer("New York Inc", tz="America/New_York")
        cls.tokyo = cls.customer("Tokyo KK", tz="Asia/Tokyo")
        cls.invoice(cls.new_york, 300, days_overdue=20)
        cls.invoice(cls.tokyo, 300, days_overdue=20)

    def test_emails_wait_for_each_customers_morning(self):
        # 13:00 UTC: 08:00 or 09:00 in New York, 22:00 in Tokyo.
        with self.at(self.monday, 13):
            tokyo_line = self.preview_lines(self.tokyo)
            self.assertEqual(tokyo_line.new_level_id, self.level_1)
            self.assertIn(
                "Email held until the contact window opens", tokyo_line.contact_note
            )
            self.assertIn("08:00 (Asia/Tokyo)", tokyo_line.contact_note)
            self.assertFalse(self.preview_lines(self.new_york).contact_note)
            run = self.run_followup()
        tokyo_morning = utc_of(self.monday + timedelta(days=1), 8, "Asia/Tokyo")
        email = self.actions_of(self.tokyo, action_type="email")
        self.assertEqual(email.level_id, self.level_1, "the level is reached today")
        self.assertEqual(email.date_not_before, tokyo_morning)
        self.assertIn(
            "Outside the customer's contact hours (08:00 to 21:00", email.note
        )
        self.assertEqual(self.mails_to(self.tokyo).scheduled_date, tokyo_morning)
        self.assertFalse(
            self.actions_of(self.new_york, action_type="email").date_not_before
        )
        self.assertTrue(self.mails_to(self.new_york))
        self.assertFalse(self.mails_to(self.new_york).scheduled_date, "sent at once")
        self.assertIn("Contact rules: 1 email(s) held", run.log)

    def test_emails_sent_anyway_when_the_policy_says_so(self):
        self.policy.email_outside_hours = "send"
        with self.at(self.monday, 13):
            self.run_followup()
        self.assertTrue(self.mails_to(self.tokyo))
        self.assertFalse(self.mails_to(self.tokyo).scheduled_date)

    def test_manual_reminder_outside_the_hours_waits_too(self):
        with self.at(self.monday, 13):
            form = Form(
                self.env["ar.followup.send"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=self.tokyo.ids)
            )
            self.assertIn(
                "The email will wait in the outgoing queue", form.contact_warning
            )
            form.save().action_send()
        self.assertEqual(
            self.mails_to(self.tokyo).scheduled_date,
            utc_of(self.monday + timedelta(days=1), 8, "Asia/Tokyo"),
        )


@tagged("post_install", "-at_install")
class TestContactWeekends(ContactRulesCommon):
    def test_weekend_moves_the_email_and_the_call_to_monday(self):
        self.policy.write(
            {
                "contact_hours": True,
                "contact_hour_from": 8.0,
                "contact_hour_to": 21.0,
                "contact_skip_weekends": True,
            }
        )
        paris = self.customer("Paris SARL", tz="Europe/Paris")
        saturday = self.monday + timedelta(days=5)
        next_monday = self.monday + timedelta(days=7)
        move = self.due_for_firm_reminder(paris, saturday)
        with self.at(saturday, 10):
            line = self.preview_lines(paris)
            self.assertIn("No contact on weekends", line.contact_note)
            run = self.run_followup()
        self.assertEqual(move.ar_level_id, self.level_2)
        email = self.actions_of(paris, action_type="email")
        self.assertEqual(email.date_not_before, utc_of(next_monday, 8, "Europe/Paris"))
        call = self.actions_of(paris, action_type="call")
        self.assertIn("No contact on weekends", call.note)
        self.assertEqual(call.activity_id.date_deadline, next_monday)
        self.assertEqual(self.call_activities(paris).date_deadline, next_monday)
        self.assertIn(
            "1 email(s) held until the customer's contact window opens, 1 call(s) "
            "planned for a later day",
            run.log,
        )


@tagged("post_install", "-at_install")
class TestContactLimits(ContactRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"contact_limit": True, "contact_cap": 3, "call_cap": 2})
        cls.often = cls.customer("Often Contacted SA", tz="Europe/Paris")

    def test_the_limit_counts_every_channel_over_seven_days(self):
        move = self.invoice(self.often, 400, days_overdue=20)
        self.contact(self.often, "email", 8)  # more than 7 days ago: not counted
        self.contact(self.often, "email", 6)
        self.contact(self.often, "letter", 3)
        self.contact(self.often, "call_log", 1)
        tuesday = self.monday + timedelta(days=1)
        with self.at(self.monday):
            line = self.preview_lines(self.often)
            self.assertEqual(line.skip_reason, "contact_limit")
            self.assertEqual(line.date_next, tuesday)
            self.assertIn("3 contacts in the last 7 days", line.skip_detail)
            run = self.run_followup()
        self.assertFalse(self.actions_of(self.often, date=self.monday))
        self.assertFalse(move.ar_level_id, "held back: no level today")
        self.assertEqual(move.ar_date_next_action, tuesday)
        self.assertIn(
            "Often Contacted SA: not contacted today. 3 contacts in the last 7 days, "
            "and the policy “Test policy” allows 3: next contact allowed from "
            f"{format_date(self.env, tuesday)} 00:00 (Europe/Paris).",
            run.log,
        )
        # The email of six days ago leaves the 7 days: the reminder goes.
        with self.at(tuesday):
            self.run_followup()
        self.assertEqual(self.actions_of(self.often, date=tuesday).action_type, "email")
        self.assertEqual(move.ar_level_id, self.level_1)

    def test_the_call_limit_puts_the_call_later(self):
        move = self.due_for_firm_reminder(self.often, self.monday)
        self.contact(self.often, "call_log", 2)
        self.contact(self.often, "call_log", 0)
        with self.at(self.monday):
            run = self.run_followup()
        self.assertEqual(move.ar_level_id, self.level_2)
        self.assertTrue(self.mails_to(self.often), "the email goes: 2 contacts of 3")
        call = self.actions_of(self.often, action_type="call")
        self.assertIn("2 call attempts in the last 7 days", call.note)
        self.assertEqual(
            call.activity_id.date_deadline,
            self.monday + timedelta(days=5),
            "the call of two days ago leaves the 7 days",
        )
        self.assertIn("1 call(s) planned for a later day", run.log)

    def test_send_reminder_counts_and_is_refused_at_the_limit(self):
        self.invoice(self.often, 400, days_overdue=20)
        self.contact(self.often, "email", 5)
        self.contact(self.often, "call_log", 2)

        def open_form():
            return Form(
                self.env["ar.followup.send"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=self.often.ids)
            )

        with self.at(self.monday):
            form = open_form()
            self.assertFalse(form.contact_warning)
            form.save().action_send()  # the third contact of the week
            form = open_form()
            self.assertIn("No reminder can be sent now", form.contact_warning)
            wizard = form.save()
            with self.assertRaisesRegex(
                UserError,
                "No reminder sent to Often Contacted SA: 3 contacts in the last 7 "
                "days, and the policy “Test policy” allows 3: next contact allowed "
                f"from {format_date(self.env, self.monday + timedelta(days=2))}",
            ):
                wizard.action_send()
        self.assertEqual(len(self.actions_of(self.often, date=self.monday)), 1)

    def test_log_call_warns_at_the_call_limit(self):
        self.contact(self.often, "call_log", 1)
        self.contact(self.often, "call_log", 0)
        with self.at(self.monday):
            form = Form(
                self.env["ar.followup.log.call"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=self.often.ids)
            )
            self.assertIn(
                "Calling is not allowed now: 2 call attempts", form.contact_warning
            )
            form.outcome = "no_answer"
            form.save().action_log()  # what happened is still recorded
        self.assertEqual(len(self.actions_of(self.often, action_type="call_log")), 3)


@tagged("post_install", "-at_install")
class TestDoNotCall(ContactRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quiet = cls.customer("Quiet Ltd", tz="Europe/Paris", ar_no_phone=True)
        cls.reachable = cls.customer("Reachable Ltd", tz="Europe/Paris")

    def test_worklist_never_lists_it_to_call(self):
        self.invoice(self.quiet, 200, days_overdue=20)
        self.invoice(self.reachable, 200, days_overdue=20)
        rows = self.env["ar.worklist"].search(
            [("partner_id", "in", (self.quiet | self.reachable).ids)]
        )
        by_partner = {row.partner_id: row for row in rows}
        self.assertTrue(by_partner[self.reachable].to_call_today)
        self.assertFalse(by_partner[self.quiet].to_call_today)
        self.assertTrue(by_partner[self.quiet].no_phone)

    def test_run_plans_no_call_and_the_email_goes(self):
        move = self.due_for_firm_reminder(self.quiet, self.monday)
        with self.at(self.monday):
            line = self.preview_lines(self.quiet)
            self.assertIn("No call planned", line.contact_note)
            run = self.run_followup()
        self.assertEqual(move.ar_level_id, self.level_2)
        self.assertTrue(self.mails_to(self.quiet))
        call = self.actions_of(self.quiet, action_type="call")
        self.assertEqual(call.state, "cancelled")
        self.assertIn("No call planned: The customer asked not to be called", call.note)
        self.assertFalse(self.call_activities(self.quiet))
        self.assertEqual(run.call_count, 0)
        self.assertIn("1 call(s) not planned (do not call or text)", run.log)

    def test_one_question_for_every_channel(self):
        with self.at(self.monday):
            self.assertIn(
                "asked not to be called or texted", self.quiet._ar_contact_check("sms")
            )
            self.assertTrue(self.quiet._ar_contact_check("call"))
            self.assertIsNone(self.quiet._ar_contact_check("email"))
            self.assertIsNone(self.quiet._ar_contact_check("letter"))
            self.assertIsNone(self.reachable._ar_contact_check("sms"))
            form = Form(
                self.env["ar.followup.log.call"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=self.quiet.ids)
            )
            self.assertIn("asked not to be called", form.contact_warning)


@tagged("post_install", "-at_install")
class TestConsumersAndHolidays(ContactRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write(
            {
                "contact_hours": True,
                "contact_hour_from": 7.0,
                "contact_hour_to": 22.0,
                "consumer_hour_from": 8.0,
                "consumer_hour_to": 21.0,
                "contact_limit": True,
                "call_cap": 5,
                "consumer_call_cap": 1,
            }
        )
        cls.business = cls.customer("Business GmbH", tz="Europe/Berlin")
        cls.consumer = cls.customer(
            "Jane Consumer", tz="Europe/Berlin", is_company=False
        )

    def test_consumers_have_stricter_hours_and_limits(self):
        early = utc_of(self.monday, 7, "Europe/Berlin", minute=30)
        self.assertIsNone(self.business._ar_contact_check("call", early))
        self.assertIn(
            "Outside the customer's contact hours (08:00 to 21:00 its time",
            self.consumer._ar_contact_check("call", early),
        )
        noon = utc_of(self.monday, 12, "Europe/Berlin")
        self.contact(self.business, "call_log", 0)
        self.contact(self.consumer, "call_log", 0)
        self.assertIsNone(self.business._ar_contact_check("call", noon))
        self.assertIn(
            "1 call attempts in the last 7 days, and the policy “Test policy” allows 1",
            self.consumer._ar_contact_check("call", noon),
        )

    def test_public_holidays_of_the_company(self):
        noon = utc_of(self.monday, 12, "Europe/Berlin")
        self.company.resource_calendar_id.tz = "Europe/Paris"
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.company.resource_calendar_id.id,
                "date_from": utc_of(self.monday, 0, "Europe/Paris"),
                "date_to": utc_of(self.monday, 23, "Europe/Paris", minute=59),
            }
        )
        self.assertIsNone(self.business._ar_contact_check("call", noon), "not asked")
        self.policy.contact_skip_holidays = True
        reason = self.business._ar_contact_check("call", noon)
        self.assertIn("No contact on public holidays", reason)
        self.assertIn(
            f"{format_date(self.env, self.monday + timedelta(days=1))} 07:00 "
            "(Europe/Berlin)",
            reason,
        )


@tagged("post_install", "-at_install")
class TestContactSettings(ContactRulesCommon):
    def test_bad_settings_refused(self):
        cases = [
            (
                {
                    "contact_hours": True,
                    "contact_hour_from": 9.0,
                    "contact_hour_to": 8.0,
                },
                "contact hours end at 08:00, not after they start at 09:00: set "
                "“Businesses: until” later than “Businesses: from”",
            ),
            (
                {"consumer_hour_from": 25.0},
                "“Consumers: from” is 25:00: contact hours lie between 00:00 and 24:00",
            ),
            (
                {"consumer_hour_to": -1.0},
                "“Consumers: until” is -1:00",
            ),
            (
                {"contact_limit": True, "consumer_call_cap": 0},
                "“Consumers: calls per 7 days” is 0: a limit must allow at least 1",
            ),
            ({"contact_cap": -2}, "“Businesses: contacts per 7 days” is -2"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, message):
                    with self.env.cr.savepoint():
                        self.policy.write(values)


@tagged("post_install", "-at_install")
class TestContactRulesInFrench(ContactRulesCommon):
    """A French user reads the refusals and the reasons in French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["ar_collections"], ["fr_FR"], overwrite=True
        )
        cls.policy.write({"contact_limit": True, "contact_cap": 1})
        cls.client = cls.customer("Client Pressé", tz="Europe/Paris", ar_no_phone=True)

    def test_settings_and_reasons_in_french(self):
        policy = self.policy.with_context(lang="fr_FR")
        with self.assertRaisesRegex(
            ValidationError,
            "les heures de contact se terminent à 07:00, pas après leur début à "
            "08:00 : réglez « Consommateurs : jusqu'à » plus tard que "
            "« Consommateurs : de »",
        ):
            with self.env.cr.savepoint():
                policy.write({"consumer_hour_to": 7.0})
        client = self.client.with_context(lang="fr_FR")
        self.assertIn(
            "Le client a demandé à ne pas être appelé", client._ar_contact_check("sms")
        )
        self.contact(self.client, "letter", 0)
        with self.at(self.monday):
            self.assertIn(
                "1 contacts au cours des 7 derniers jours, et la politique « Test "
                "policy » en autorise 1",
                client._ar_contact_check("email"),
            )
