"""Contact rules, pure Python: the window, the caps, the opt-out.

Regulation F's numbers as the example: no call before 08:00 or after 21:00
the customer's time, at most 7 call attempts in 7 days.
"""

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine import contact_rules as cr
from ..engine.errors import ContactRuleError

MONDAY = date(2026, 3, 2)  # the engine never reads the clock
SATURDAY = MONDAY + timedelta(days=5)
REG_F = cr.ContactRules(hours=(8.0, 21.0), call_cap=7)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute))


@tagged("post_install", "-at_install")
class TestContactWindow(BaseCase):
    def test_hours_of_the_customers_day(self):
        cases = [
            # (local time, allowed, next allowed)
            (at(MONDAY, 7, 59), False, at(MONDAY, 8)),
            (at(MONDAY, 8), True, None),
            (at(MONDAY, 20, 59), True, None),
            (at(MONDAY, 21), False, at(MONDAY + timedelta(days=1), 8)),
            (at(MONDAY, 23, 30), False, at(MONDAY + timedelta(days=1), 8)),
        ]
        for local, allowed, next_allowed in cases:
            with self.subTest(local=local):
                verdict = cr.check_contact(cr.CALL, local, REG_F)
                self.assertEqual(verdict.allowed, allowed)
                self.assertEqual(verdict.next_allowed, next_allowed)
                if not allowed:
                    self.assertEqual(verdict.reason, cr.REASON_HOURS)

    def test_channels_the_window_applies_to(self):
        night = at(MONDAY, 23)
        held = cr.ContactRules(hours=(8.0, 21.0), hold_emails=True)
        sent = cr.ContactRules(hours=(8.0, 21.0), hold_emails=False)
        self.assertFalse(cr.check_contact(cr.SMS, night, held).allowed)
        self.assertFalse(cr.check_contact(cr.EMAIL, night, held).allowed)
        self.assertTrue(cr.check_contact(cr.EMAIL, night, sent).allowed)
        self.assertTrue(
            cr.check_contact(cr.LETTER, night, held).allowed, "the post delivers"
        )

    def test_weekends_and_holidays(self):
        rules = cr.ContactRules(
            hours=(8.0, 21.0),
            skip_weekends=True,
            skip_holidays=True,
            holidays=frozenset({MONDAY + timedelta(days=7)}),
        )
        verdict = cr.check_contact(cr.CALL, at(SATURDAY, 10), rules)
        self.assertEqual(verdict.reason, cr.REASON_WEEKEND)
        self.assertEqual(
            verdict.next_allowed,
            at(MONDAY + timedelta(days=8), 8),
            "Sunday, then the Monday holiday: Tuesday morning",
        )
        verdict = cr.check_contact(cr.CALL, at(MONDAY + timedelta(days=7), 10), rules)
        self.assertEqual(verdict.reason, cr.REASON_HOLIDAY)
        self.assertTrue(
            cr.check_contact(
                cr.CALL, at(SATURDAY, 10), cr.ContactRules(hours=(8.0, 21.0))
            ).allowed,
            "weekends are only skipped when asked",
        )

    def test_holidays_only_when_asked(self):
        rules = cr.ContactRules(holidays=frozenset({MONDAY}))
        self.assertTrue(cr.check_contact(cr.CALL, at(MONDAY, 10), rules).allowed)

    def test_no_phone_is_final_for_calls_and_texts_only(self):
        rules = cr.ContactRules(no_phone=True)
        for channel in (cr.CALL, cr.SMS):
            verdict = cr.check_contact(channel, at(MONDAY, 10), rules)
            self.assertEqual(verdict.reason, cr.REASON_NO_PHONE)
            self.assertIsNone(verdict.next_allowed, "never")
        for channel in (cr.EMAIL, cr.LETTER):
            self.assertTrue(cr.check_contact(channel, at(MONDAY, 10), rules).allowed)

    def test_time_zones(self):
        utc = datetime(2026, 3, 2, 13, 0)
        self.assertEqual(cr.to_local(utc, "Asia/Tokyo"), datetime(2026, 3, 2, 22, 0))
        self.assertEqual(
            cr.to_local(utc, "America/New_York"), datetime(2026, 3, 2, 8, 0)
        )
        self.assertEqual(cr.to_local(utc, "Not/AZone"), utc, "unknown zone: UTC")
        self.assertEqual(
            cr.to_utc(datetime(2026, 3, 3, 8, 0), "Asia/Tokyo"),
            datetime(2026, 3, 2, 23, 0),
        )


@tagged("post_install", "-at_install")
class TestContactCaps(BaseCase):
    def test_seven_calls_in_seven_days(self):
        today = at(MONDAY, 10)
        calls = {MONDAY - timedelta(days=n): 1 for n in range(7)}  # today + 6 days
        verdict = cr.check_contact(cr.CALL, today, REG_F, {cr.CALL: calls})
        self.assertEqual(verdict.reason, cr.REASON_CALL_CAP)
        self.assertEqual((verdict.count, verdict.cap), (7, 7))
        self.assertEqual(
            verdict.next_allowed,
            at(MONDAY + timedelta(days=1), 8),
            "the call of six days ago leaves the 7 days tomorrow",
        )
        calls.pop(MONDAY - timedelta(days=6))
        calls[MONDAY - timedelta(days=7)] = 3  # a week ago: not counted
        self.assertTrue(
            cr.check_contact(cr.CALL, today, REG_F, {cr.CALL: calls}).allowed
        )

    def test_call_cap_leaves_other_channels_alone(self):
        calls = {MONDAY: 7}
        verdict = cr.check_contact(cr.EMAIL, at(MONDAY, 10), REG_F, {cr.CALL: calls})
        self.assertTrue(verdict.allowed)

    def test_contact_cap_counts_every_channel(self):
        rules = cr.ContactRules(contact_cap=3)
        history = {
            cr.EMAIL: {MONDAY - timedelta(days=6): 1},
            cr.LETTER: {MONDAY - timedelta(days=3): 1},
            cr.CALL: {MONDAY - timedelta(days=1): 1},
            cr.SMS: {MONDAY - timedelta(days=9): 5},  # too old
        }
        for channel in cr.CHANNELS:
            with self.subTest(channel=channel):
                verdict = cr.check_contact(channel, at(MONDAY, 10), rules, history)
                self.assertEqual(verdict.reason, cr.REASON_CONTACT_CAP)
                self.assertEqual(verdict.count, 3)
                self.assertEqual(
                    verdict.next_allowed, at(MONDAY + timedelta(days=1), 0)
                )
        self.assertTrue(
            cr.check_contact(
                cr.EMAIL, at(MONDAY, 10), rules, history, caps=False
            ).allowed,
            "the caller may leave the caps out",
        )

    def test_cap_then_window(self):
        """Allowed again on a Saturday: the call waits for Monday morning."""
        rules = cr.ContactRules(hours=(8.0, 21.0), skip_weekends=True, call_cap=1)
        saturday_before = MONDAY - timedelta(days=2)
        wednesday = MONDAY + timedelta(days=2)
        verdict = cr.check_contact(
            cr.CALL, at(wednesday, 10), rules, {cr.CALL: {saturday_before: 1}}
        )
        self.assertEqual(verdict.reason, cr.REASON_CALL_CAP)
        self.assertEqual(verdict.next_allowed, at(MONDAY + timedelta(days=7), 8))

    @settings(max_examples=200, deadline=None)
    @given(
        calls=st.dictionaries(
            st.integers(min_value=0, max_value=12).map(
                lambda n: MONDAY - timedelta(days=n)
            ),
            st.integers(min_value=1, max_value=3),
            max_size=8,
        ),
        cap=st.integers(min_value=1, max_value=8),
    )
    def test_next_allowed_day_has_room(self, calls, cap):
        """On the day a held call is allowed again the last 7 days hold
        fewer calls than the cap, and not on the day before."""
        rules = cr.ContactRules(call_cap=cap)
        verdict = cr.check_contact(cr.CALL, at(MONDAY, 10), rules, {cr.CALL: calls})
        count, _free = cr.cap_reached(calls, MONDAY, cap)
        self.assertEqual(verdict.allowed, count < cap)
        if not verdict.allowed:
            day = verdict.next_allowed.date()
            self.assertLess(cr.cap_reached(calls, day, cap)[0], cap)
            self.assertGreaterEqual(
                cr.cap_reached(calls, day - timedelta(days=1), cap)[0], cap
            )


@tagged("post_install", "-at_install")
class TestContactRuleSettings(BaseCase):
    def test_bad_settings_refused(self):
        cases = [
            ((21.0, 8.0), None, "contact_hours_not_increasing"),
            ((8.0, 8.0), None, "contact_hours_not_increasing"),
            ((-1.0, 8.0), None, "contact_hours_out_of_range"),
            ((8.0, 25.0), None, "contact_hours_out_of_range"),
            (None, 0, "contact_cap_not_positive"),
            (None, -3, "contact_cap_not_positive"),
        ]
        for hours, cap, code in cases:
            with self.subTest(hours=hours, cap=cap):
                with self.assertRaises(ContactRuleError) as caught:
                    cr.ContactRules(hours=hours, call_cap=cap)
                self.assertEqual(caught.exception.code, code)

    def test_whole_day_window(self):
        rules = cr.ContactRules(hours=(0.0, 24.0))
        self.assertTrue(cr.check_contact(cr.CALL, at(MONDAY, 23, 59), rules).allowed)
        self.assertEqual(cr.hour_time(8.5), time(8, 30))
