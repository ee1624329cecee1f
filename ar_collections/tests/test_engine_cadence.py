"""Cadence of the levels, pure Python: tables of cases and properties.

A book that is already late when follow-up starts must get the friendly
reminder, then the same spacing as anyone else, never one harsher message a
day.
"""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine import (
    InvoiceState,
    LevelSpec,
    PartnerState,
    PolicySpec,
    cadence_date,
    decide_invoice,
    decide_partner,
    next_action_date,
)
from ..engine.levels import SKIP_CADENCE, SKIP_RECENT_MESSAGE

TODAY = date(2026, 3, 1)  # the engine never reads the clock: any day will do
# The shipped policy: +3 / +15 (7 days to pay) / +30 / +45 (8 days) / +60 / +90
SHIPPED = PolicySpec(
    levels=(
        LevelSpec(1, 3),
        LevelSpec(2, 15, payment_days=7),
        LevelSpec(3, 30),
        LevelSpec(4, 45, payment_days=8),
        LevelSpec(5, 60),
        LevelSpec(6, 90),
    )
)


def days(n):
    return timedelta(days=n)


def run_daily(policy, date_due, start, runs, escalate_on=()):
    """Run the decision every day from ``start`` for ``runs`` days, carrying
    the level and the day it was reached as the daily run stores them.

    Returns ``[(day, level_id)]`` for each level reached.
    """
    level_id, date_level, reached = None, None, []
    for offset in range(runs):
        today = start + days(offset)
        state = InvoiceState(
            1,
            date_due,
            level_id,
            date_level=date_level,
            escalate=today in escalate_on,
        )
        decision = decide_invoice(state, policy, today)
        if decision.is_action:
            level_id, date_level = decision.level_id, today
            reached.append((today, level_id))
    return reached


@tagged("post_install", "-at_install")
class TestCadence(BaseCase):
    def test_hundred_days_late_book_gets_the_levels_spaced(self):
        """100 days late when follow-up starts: friendly reminder on day 0,
        then the levels' own spacing, not one level a day."""
        due = TODAY - days(100)
        reached = run_daily(SHIPPED, due, TODAY, 70)
        self.assertEqual(
            reached,
            [
                (TODAY, 1),
                (TODAY + days(12), 2),  # 15 - 3
                (TODAY + days(27), 3),  # + 15 (30 - 15 > the 7 days to pay)
                (TODAY + days(42), 4),  # + 15
                (TODAY + days(57), 5),  # + 15 (60 - 45 > the 8 days to pay)
            ],
        )

    def test_on_time_book_is_unchanged(self):
        """An invoice followed from its due date reaches each level on the day
        its days overdue call for it, as before the cadence."""
        due = TODAY
        reached = run_daily(SHIPPED, due, TODAY, 100)
        self.assertEqual(
            [(day - due).days for day, _level in reached], [3, 15, 30, 45, 60, 90]
        )

    def test_deadline_given_to_pay_is_waited_for(self):
        """A level whose message gives 20 days to pay holds the next level
        until the day after that deadline, even if the gap is shorter."""
        policy = PolicySpec(levels=(LevelSpec(1, 0, payment_days=20), LevelSpec(2, 10)))
        self.assertEqual(cadence_date(policy, 0, TODAY), TODAY + days(21))
        late = InvoiceState(1, TODAY - days(50), 1, date_level=TODAY)
        decision = decide_invoice(late, policy, TODAY + days(20))
        self.assertEqual(decision.skip_reason, SKIP_CADENCE)
        self.assertEqual(decision.date_next, TODAY + days(21))
        self.assertEqual(decide_invoice(late, policy, TODAY + days(21)).level_id, 2)

    def test_cadence_table(self):
        cases = [
            # (days since level 1 reached, days overdue, expected level or reason)
            (0, 100, SKIP_CADENCE),
            (11, 100, SKIP_CADENCE),
            (12, 100, 2),
            (12, 14, None),  # the days do not call for level 2 yet
            (30, 100, 2),  # after downtime: one level, not all of them
        ]
        for since, overdue, expected in cases:
            with self.subTest(since=since, overdue=overdue):
                state = InvoiceState(
                    1, TODAY - days(overdue), 1, date_level=TODAY - days(since)
                )
                decision = decide_invoice(state, SHIPPED, TODAY)
                if isinstance(expected, int):
                    self.assertEqual(decision.level_id, expected)
                elif expected:
                    self.assertEqual(decision.skip_reason, expected)
                else:
                    self.assertFalse(decision.is_action)
                    self.assertNotEqual(decision.skip_reason, SKIP_CADENCE)

    def test_broken_promise_brings_one_message_then_the_spacing(self):
        """A broken promise escalates at once, whatever the cadence; the next
        level then waits its gap from that day."""
        due = TODAY - days(100)
        broken = TODAY + days(3)
        reached = run_daily(SHIPPED, due, TODAY, 30, escalate_on={broken})
        self.assertEqual(reached[:2], [(TODAY, 1), (broken, 2)])
        self.assertEqual(reached[2], (broken + days(15), 3))

    def test_next_action_date_follows_the_cadence(self):
        due = TODAY - days(100)
        self.assertEqual(
            next_action_date(due, 1, SHIPPED, TODAY, date_level=TODAY),
            TODAY + days(12),
        )
        # reached long ago: the next run may take the next level
        self.assertEqual(
            next_action_date(due, 1, SHIPPED, TODAY, date_level=TODAY - days(40)),
            TODAY + days(1),
        )
        self.assertIsNone(next_action_date(due, 6, SHIPPED, TODAY, date_level=TODAY))

    def test_minimum_days_between_messages(self):
        policy = PolicySpec(SHIPPED.levels, min_days_between=10)
        partner = PartnerState(
            1, Decimal(100), Decimal(100), date_last_message=TODAY - days(4)
        )
        fresh = InvoiceState(2, TODAY - days(40))  # never reminded yet
        [decision] = decide_partner(partner, [fresh], policy, TODAY)
        self.assertEqual(decision.skip_reason, SKIP_RECENT_MESSAGE)
        self.assertEqual(decision.date_next, TODAY + days(6))
        [decision] = decide_partner(partner, [fresh], policy, TODAY + days(6))
        self.assertEqual(decision.level_id, 1)

    def test_bad_values_are_refused(self):
        with self.assertRaises(ValueError):
            PolicySpec(SHIPPED.levels, min_days_between=-1)
        with self.assertRaises(ValueError):
            PolicySpec((LevelSpec(1, 3, payment_days=-2),))


delays = st.lists(st.integers(-30, 200), min_size=1, max_size=7, unique=True).map(
    sorted
)


@st.composite
def policies(draw):
    levels = tuple(
        LevelSpec(i + 1, delay, payment_days=draw(st.integers(0, 30)))
        for i, delay in enumerate(draw(delays))
    )
    return PolicySpec(
        levels, grace_days=draw(st.integers(0, 20)), allow_skip=draw(st.booleans())
    )


@tagged("post_install", "-at_install")
class TestCadenceProperties(BaseCase):
    @settings(max_examples=300, deadline=None)
    @given(policies(), st.integers(-30, 600), st.integers(30, 400))
    def test_consecutive_levels_are_at_least_their_gap_apart(
        self, policy, late_at_start, runs
    ):
        """Whatever the start, two levels reached one after the other are at
        least their days apart, and after the previous message's deadline."""
        due = TODAY - days(late_at_start)
        reached = run_daily(policy, due, TODAY, runs)
        position = {level.level_id: i for i, level in enumerate(policy.levels)}
        for (day_a, level_a), (day_b, level_b) in zip(
            reached, reached[1:], strict=False
        ):
            a, b = policy.levels[position[level_a]], policy.levels[position[level_b]]
            gap = (day_b - day_a).days
            self.assertGreaterEqual(gap, b.delay - a.delay)
            self.assertGreater(gap, a.payment_days)
        for day, level_id in reached:
            level = policy.levels[position[level_id]]
            self.assertGreaterEqual((day - due).days, level.delay, "never early")

    @settings(max_examples=200, deadline=None)
    @given(policies(), st.integers(-30, 600))
    def test_daily_runs_reach_the_last_level_eventually(self, policy, late_at_start):
        """The cadence delays levels, it never stops them."""
        due = TODAY - days(late_at_start)
        horizon = 800 + sum(level.payment_days for level in policy.levels) + 2 * 30
        reached = run_daily(policy, due, TODAY, horizon)
        self.assertEqual(reached[-1][1], policy.levels[-1].level_id)
