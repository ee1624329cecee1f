"""Level decisions, pure Python: tables of cases and properties."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine import (
    InvoiceState,
    LevelSpec,
    PartnerState,
    PolicySpec,
    decide_invoice,
    decide_partner,
    local_today,
    next_action_date,
)
from ..engine.levels import (
    SKIP_BELOW_MINIMUM,
    SKIP_EXCLUDED,
    SKIP_GRACE,
    SKIP_HANDED_OVER,
    SKIP_NO_NET_BALANCE,
    SKIP_NOT_DUE,
    SKIP_SNOOZED,
    SKIP_SUSPENDED,
    SKIP_UP_TO_DATE,
)

TODAY = date(2026, 3, 1)  # the engine never reads the clock: any day will do
POLICY = PolicySpec(
    levels=(LevelSpec(1, 3), LevelSpec(2, 15), LevelSpec(3, 30), LevelSpec(4, 60))
)


def invoice(days_overdue, level=None, **flags):
    return InvoiceState(7, TODAY - timedelta(days=days_overdue), level, **flags)


@tagged("post_install", "-at_install")
class TestDecideInvoice(BaseCase):
    def test_level_table(self):
        cases = [
            # (days overdue, current level, policy, expected level, skip reason)
            (0, None, POLICY, None, SKIP_NOT_DUE),
            (2, None, POLICY, None, SKIP_NOT_DUE),
            (3, None, POLICY, 1, None),
            (14, 1, POLICY, None, SKIP_UP_TO_DATE),
            (15, 1, POLICY, 2, None),
            # never skip a level: 100 days late and never reminded -> level 1
            (100, None, POLICY, 1, None),
            (100, 1, POLICY, 2, None),
            (100, 3, POLICY, 4, None),
            (100, 4, POLICY, None, SKIP_UP_TO_DATE),
            # levels never go down, even if the days say lower
            (5, 3, POLICY, None, SKIP_UP_TO_DATE),
            # a level that no longer exists in the policy counts as none
            (20, 999, POLICY, 1, None),
        ]
        for days, level, policy, expected, reason in cases:
            with self.subTest(days=days, level=level):
                decision = decide_invoice(invoice(days, level), policy, TODAY)
                self.assertEqual(decision.level_id, expected)
                self.assertEqual(decision.skip_reason, reason)
                self.assertEqual(decision.days_overdue, days)

    def test_skip_allowed_goes_to_target(self):
        policy = PolicySpec(POLICY.levels, allow_skip=True)
        self.assertEqual(decide_invoice(invoice(100), policy, TODAY).level_id, 4)
        self.assertEqual(decide_invoice(invoice(31, 1), policy, TODAY).level_id, 3)
        decision = decide_invoice(invoice(31, 1), POLICY, TODAY)
        self.assertEqual((decision.level_id, decision.target_level_id), (2, 3))

    def test_grace_days_delay_overdue_levels_only(self):
        policy = PolicySpec(
            (LevelSpec(1, -5), LevelSpec(2, 3), LevelSpec(3, 15)), grace_days=10
        )
        # courtesy reminder five days before the due date is not affected
        self.assertEqual(decide_invoice(invoice(-5), policy, TODAY).level_id, 1)
        self.assertEqual(
            decide_invoice(invoice(-6), policy, TODAY).skip_reason, SKIP_NOT_DUE
        )
        # +3 level waits for the 10 grace days
        decision = decide_invoice(invoice(9, 1), policy, TODAY)
        self.assertEqual(decision.skip_reason, SKIP_UP_TO_DATE)
        self.assertEqual(decide_invoice(invoice(9), policy, TODAY).level_id, 1)
        grace_only = PolicySpec((LevelSpec(2, 3),), grace_days=10)
        self.assertEqual(
            decide_invoice(invoice(9), grace_only, TODAY).skip_reason, SKIP_GRACE
        )
        self.assertEqual(decide_invoice(invoice(10), grace_only, TODAY).level_id, 2)

    def test_stops(self):
        for flags, reason in [
            ({"excluded": True}, SKIP_EXCLUDED),
            ({"handed_over": True}, SKIP_HANDED_OVER),
            ({"suspended": True}, SKIP_SUSPENDED),
        ]:
            with self.subTest(reason=reason):
                decision = decide_invoice(invoice(40, **flags), POLICY, TODAY)
                self.assertFalse(decision.is_action)
                self.assertEqual(decision.skip_reason, reason)

    def test_policy_validation(self):
        with self.assertRaises(ValueError):
            PolicySpec(levels=())
        with self.assertRaises(ValueError):
            PolicySpec(levels=(LevelSpec(1, 10), LevelSpec(2, 10)))
        with self.assertRaises(ValueError):
            PolicySpec(levels=(LevelSpec(1, 10), LevelSpec(2, 5)))
        with self.assertRaises(ValueError):
            PolicySpec(levels=(LevelSpec(1, 10),), grace_days=-1)


@tagged("post_install", "-at_install")
class TestDecidePartner(BaseCase):
    def partner(self, overdue="100", net="100", snoozed_until=None):
        return PartnerState(1, Decimal(overdue), Decimal(net), snoozed_until)

    def test_customer_wide_stops(self):
        invoices = [invoice(40), invoice(20)]
        cases = [
            (self.partner(snoozed_until=TODAY + timedelta(days=1)), SKIP_SNOOZED),
            (self.partner(net="0"), SKIP_NO_NET_BALANCE),
            (self.partner(net="-5"), SKIP_NO_NET_BALANCE),
        ]
        for partner, reason in cases:
            with self.subTest(reason=reason):
                decisions = decide_partner(partner, invoices, POLICY, TODAY)
                self.assertEqual({d.skip_reason for d in decisions}, {reason})
        # the snooze ends on its date
        decisions = decide_partner(
            self.partner(snoozed_until=TODAY), invoices, POLICY, TODAY
        )
        self.assertTrue(all(d.is_action for d in decisions))

    def test_minimum_amount(self):
        policy = PolicySpec(POLICY.levels, minimum_amount=Decimal("50.00"))
        below = decide_partner(self.partner("49.99"), [invoice(40)], policy, TODAY)
        self.assertEqual(below[0].skip_reason, SKIP_BELOW_MINIMUM)
        at = decide_partner(self.partner("50.00"), [invoice(40)], policy, TODAY)
        self.assertTrue(at[0].is_action)


@tagged("post_install", "-at_install")
class TestDates(BaseCase):
    def test_local_today_at_day_boundary(self):
        late_utc = datetime(2026, 3, 1, 23, 30)
        self.assertEqual(local_today(late_utc, "UTC"), date(2026, 3, 1))
        self.assertEqual(local_today(late_utc, "Europe/Brussels"), date(2026, 3, 2))
        self.assertEqual(local_today(late_utc, "America/New_York"), date(2026, 3, 1))
        early_utc = datetime(2026, 3, 1, 3, 0)
        self.assertEqual(
            local_today(early_utc, "America/Los_Angeles"), date(2026, 2, 28)
        )
        self.assertEqual(local_today(early_utc, None), date(2026, 3, 1))
        self.assertEqual(local_today(early_utc, "Not/AZone"), date(2026, 3, 1))

    def test_next_action_date(self):
        due = TODAY - timedelta(days=20)
        self.assertEqual(
            next_action_date(due, 2, POLICY, TODAY), due + timedelta(days=30)
        )
        self.assertIsNone(next_action_date(due, 4, POLICY, TODAY))
        # already late for the next level: tomorrow's run takes it
        self.assertEqual(
            next_action_date(due, 1, POLICY, TODAY), TODAY + timedelta(days=1)
        )
        graced = PolicySpec(POLICY.levels, grace_days=7)
        self.assertEqual(
            next_action_date(TODAY, None, graced, TODAY), TODAY + timedelta(days=7)
        )


delays = st.lists(st.integers(-30, 400), min_size=1, max_size=8, unique=True).map(
    sorted
)


@st.composite
def policies(draw):
    levels = tuple(LevelSpec(i + 1, d) for i, d in enumerate(draw(delays)))
    return PolicySpec(
        levels,
        grace_days=draw(st.integers(0, 20)),
        allow_skip=draw(st.booleans()),
    )


@tagged("post_install", "-at_install")
class TestDecisionProperties(BaseCase):
    @settings(max_examples=300, deadline=None)
    @given(policies(), st.integers(-60, 500), st.integers(0, 9))
    def test_one_step_and_never_down(self, policy, days, level_index):
        level_ids = [lv.level_id for lv in policy.levels]
        current = level_ids[level_index] if level_index < len(level_ids) else None
        decision = decide_invoice(invoice(days, current), policy, TODAY)
        current_pos = policy.index_of(current)
        if decision.is_action:
            new_pos = policy.index_of(decision.level_id)
            self.assertGreater(new_pos, current_pos, "levels never go down")
            if not policy.allow_skip:
                self.assertEqual(new_pos, current_pos + 1, "one level per run")
            reached = policy.levels[new_pos]
            self.assertLessEqual(reached.delay, days, "a level never comes early")
            if reached.delay >= 0:
                self.assertGreaterEqual(days, policy.grace_days)

    @settings(max_examples=200, deadline=None)
    @given(policies(), st.integers(-60, 500))
    def test_repeated_runs_climb_to_target_then_stop(self, policy, days):
        """Running every day with the same days overdue ends on the target, once."""
        current, steps = None, 0
        while True:
            decision = decide_invoice(invoice(days, current), policy, TODAY)
            if not decision.is_action:
                break
            current, steps = decision.level_id, steps + 1
            self.assertLessEqual(steps, len(policy.levels))
        eligible = [
            lv.level_id
            for lv in policy.levels
            if lv.delay <= days and (lv.delay < 0 or days >= policy.grace_days)
        ]
        self.assertEqual(current, eligible[-1] if eligible else None)
