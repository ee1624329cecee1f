"""Fee and interest arithmetic against worked examples computed by hand."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine.money import (
    cap_fee,
    eu_reference_date,
    round_money,
    simple_interest,
    uk_fixed_sum,
    uk_reference_date,
)


def total(pieces):
    return sum((p.amount for p in pieces), D(0))


@tagged("post_install", "-at_install")
class TestSimpleInterest(BaseCase):
    def test_constant_base_and_rate(self):
        # 1,000.00 at 10 % for 31 days, actual/365: 1000 * 0.10 * 31 / 365 = 8.4931...
        pieces = simple_interest(
            [(date(2025, 1, 1), D("1000.00"))],
            [(date(2000, 1, 1), D(10))],
            date(2025, 1, 1),
            date(2025, 1, 31),
        )
        self.assertEqual(len(pieces), 1)
        self.assertEqual(pieces[0].days, 31)
        self.assertEqual(round_money(total(pieces), 2), D("8.49"))
        # actual/360: 1000 * 0.10 * 31 / 360 = 8.6111...
        pieces360 = simple_interest(
            [(date(2025, 1, 1), D("1000.00"))],
            [(date(2000, 1, 1), D(10))],
            date(2025, 1, 1),
            date(2025, 1, 31),
            days_in_year=360,
        )
        self.assertEqual(round_money(total(pieces360), 2), D("8.61"))

    def test_leap_year_february(self):
        # 29 days of February 2024 on 3,650.00 at 12 %: 3650 * 0.12 * 29 / 365 = 34.80
        pieces = simple_interest(
            [(date(2024, 2, 1), D("3650.00"))],
            [(date(2024, 1, 1), D(12))],
            date(2024, 2, 1),
            date(2024, 2, 29),
        )
        self.assertEqual(pieces[0].days, 29)
        self.assertEqual(round_money(total(pieces), 2), D("34.80"))

    def test_partial_payments_reduce_the_base_from_their_day(self):
        # 2,000.00 due 1 March; 500 paid on 11 March; 1,000 paid on 21 March;
        # interest to 31 March at 7.3 % (0.02 % a day, actual/365):
        #   1-10 Mar: 2000 * 10 days = 20000
        #  11-20 Mar: 1500 * 10 days = 15000
        #  21-31 Mar:  500 * 11 days =  5500  -> 40500 * 0.073 / 365 = 8.10
        pieces = simple_interest(
            [
                (date(2025, 3, 1), D("2000")),
                (date(2025, 3, 11), D("1500")),
                (date(2025, 3, 21), D("500")),
            ],
            [(date(2025, 1, 1), D("7.3"))],
            date(2025, 3, 1),
            date(2025, 3, 31),
        )
        self.assertEqual([p.days for p in pieces], [10, 10, 11])
        self.assertEqual([p.base for p in pieces], [D(2000), D(1500), D(500)])
        self.assertEqual(round_money(total(pieces), 2), D("8.10"))

    def test_rate_change_in_the_middle(self):
        # 3,650.00 from 20 June to 10 July; rate 10 % to 30 June, 12 % from 1 July:
        # 3650 * 0.10 * 11/365 = 11.00 ; 3650 * 0.12 * 10/365 = 12.00 -> 23.00
        pieces = simple_interest(
            [(date(2025, 6, 20), D("3650"))],
            [(date(2025, 1, 1), D(10)), (date(2025, 7, 1), D(12))],
            date(2025, 6, 20),
            date(2025, 7, 10),
        )
        self.assertEqual(
            [(p.days, p.annual_rate) for p in pieces], [(11, 10), (10, 12)]
        )
        self.assertEqual(round_money(total(pieces), 2), D("23.00"))

    def test_nothing_when_paid_or_empty_period(self):
        self.assertEqual(
            simple_interest(
                [(date(2025, 1, 1), D(100)), (date(2025, 1, 5), D(0))],
                [(date(2025, 1, 1), D(10))],
                date(2025, 1, 5),
                date(2025, 1, 31),
            ),
            [],
        )
        self.assertEqual(
            simple_interest([], [], date(2025, 2, 1), date(2025, 1, 1)), []
        )
        with self.assertRaises(ValueError):
            simple_interest(
                [], [], date(2025, 1, 1), date(2025, 1, 2), days_in_year=366
            )

    @settings(max_examples=200, deadline=None)
    @given(
        st.integers(1, 10**7),
        st.integers(1, 2000),
        st.integers(1, 800),
        st.integers(0, 800),
    )
    def test_splitting_the_period_changes_nothing(self, cents, rate_bp, days, split):
        """Interest over a period equals the sum over its two halves."""
        base = D(cents) / 100
        rate = D(rate_bp) / 100
        start = date(2024, 1, 1)
        end = date.fromordinal(start.toordinal() + days)
        middle = date.fromordinal(start.toordinal() + min(split, days))
        whole = total(simple_interest([(start, base)], [(start, rate)], start, end))
        first = total(
            simple_interest(
                [(start, base)],
                [(start, rate)],
                start,
                date.fromordinal(middle.toordinal() - 1),
            )
        )
        second = total(simple_interest([(start, base)], [(start, rate)], middle, end))
        # equal up to the 28-digit decimal precision, far below a cent
        self.assertLess(abs(whole - (first + second)), D("1e-15"))


@tagged("post_install", "-at_install")
class TestFeesAndStatutoryRules(BaseCase):
    def test_rounding_in_0_2_3_decimals(self):
        self.assertEqual(round_money(D("1234.5"), 0), D("1235"))
        self.assertEqual(round_money(D("8.4931"), 2), D("8.49"))
        self.assertEqual(round_money(D("8.495"), 2), D("8.50"))
        self.assertEqual(round_money(D("1.2345"), 3), D("1.235"))

    def test_caps_and_minimum(self):
        self.assertEqual(cap_fee(D("4.99"), minimum=D(5)), D(0))
        self.assertEqual(cap_fee(D(5), minimum=D(5)), D(5))
        self.assertEqual(cap_fee(D(80), maximum=D(50)), D(50))
        # 10 % of a 300.00 invoice caps a 45.00 fee at 30.00
        self.assertEqual(
            cap_fee(D(45), maximum_percent=D(10), invoice_total=D(300)), D(30)
        )
        # caps first, then the minimum threshold: 30 < 35 -> nothing
        self.assertEqual(
            cap_fee(D(45), minimum=D(35), maximum_percent=D(10), invoice_total=D(300)),
            D(0),
        )

    def test_uk_fixed_sums(self):
        self.assertEqual(uk_fixed_sum(D("999.99")), 40)
        self.assertEqual(uk_fixed_sum(D("1000")), 70)
        self.assertEqual(uk_fixed_sum(D("9999.99")), 70)
        self.assertEqual(uk_fixed_sum(D("10000")), 100)

    def test_reference_dates(self):
        self.assertEqual(uk_reference_date(date(2025, 3, 15)), date(2024, 12, 31))
        self.assertEqual(uk_reference_date(date(2025, 6, 30)), date(2024, 12, 31))
        self.assertEqual(uk_reference_date(date(2025, 7, 1)), date(2025, 6, 30))
        self.assertEqual(eu_reference_date(date(2025, 6, 30)), date(2025, 1, 1))
        self.assertEqual(eu_reference_date(date(2025, 12, 31)), date(2025, 7, 1))
