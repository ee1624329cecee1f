"""Reference rates read from the central banks' answers, and the stale-table
guard of statutory interest: pure rules, no database."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged
from odoo.tools.misc import file_open

from ..engine.fees import (
    FeeRuleSpec,
    InvoiceFeeState,
    fees_due,
    rates_confirmed_until,
    reference_day,
)
from ..engine.rate_sources import (
    PARSERS,
    RateSourceError,
    parse_boe_csv,
    parse_sdmx_csv,
    rate_changes,
    rates_to_write,
)


def fixture(name):
    with file_open(f"ar_collections/tests/data/{name}", "rb") as answer:
        return answer.read()


@tagged("post_install", "-at_install")
class TestRateSourceParsers(BaseCase):
    def test_ecb_data_portal_csvdata(self):
        observations = PARSERS["ecb"](fixture("ecb_mrr.csv"))
        self.assertEqual(observations[0], (date(2024, 6, 12), D("4.25")))
        self.assertEqual(observations[-1], (date(2025, 6, 11), D("2.15")))
        self.assertEqual(len(observations), 8)

    def test_bank_of_england_iadb_csv(self):
        observations = PARSERS["boe"](fixture("boe_bank_rate.csv"))
        # One row per business day: the change is where the value moves.
        self.assertEqual(observations[0], (date(2025, 7, 1), D("4.25")))
        self.assertEqual(
            rate_changes(observations),
            [(date(2025, 7, 1), D("4.25")), (date(2025, 8, 7), D("4.00"))],
        )

    def test_bundesbank_sdmx_csv_monthly(self):
        observations = PARSERS["de_base"](fixture("bundesbank_base_rate.csv"))
        # Monthly periods start on the first: 2025-07 is 1 July 2025.
        self.assertEqual(
            rate_changes(observations),
            [
                (date(2024, 7, 1), D("3.37")),
                (date(2025, 1, 1), D("2.27")),
                (date(2025, 7, 1), D("1.27")),
            ],
        )

    def test_decimal_comma_and_missing_values(self):
        answer = "TIME_PERIOD;OBS_VALUE\n2025-06;.\n2025-07;1,27\n"
        self.assertEqual(parse_sdmx_csv(answer), [(date(2025, 7, 1), D("1.27"))])

    def test_two_digit_years_and_month_names_without_locale(self):
        answer = "DATE,IUDBEDR\n07 AUG 25,4.00\n"
        self.assertEqual(parse_boe_csv(answer), [(date(2025, 8, 7), D("4.00"))])

    def test_malformed_answers_refused_whole(self):
        cases = [
            (b"\xff\xfe\x00", "encoding"),
            (fixture("boe_error_page.html"), "not_csv"),
            ("", "not_csv"),
            ("KEY,TIME_PERIOD,VALUE\nX,2025-06-11,2.15\n", "columns"),
            ("TIME_PERIOD,OBS_VALUE\n11/06/2025,2.15\n", "date"),
            ("TIME_PERIOD,OBS_VALUE\n2025-06-11,2.15\n2025-07-01,n.a.\n", "value"),
            ("TIME_PERIOD,OBS_VALUE\n2025-06-11,215\n", "range"),
            ("TIME_PERIOD,OBS_VALUE\n2025-06-11,2.15\n2025-06-11,2.40\n", "duplicate"),
            ("TIME_PERIOD,OBS_VALUE\n2025-06-11,.\n", "empty"),
            ("TIME_PERIOD,OBS_VALUE\n", "empty"),
        ]
        for answer, code in cases:
            with (
                self.subTest(code=code, answer=answer),
                self.assertRaises(RateSourceError) as caught,
            ):
                parse_sdmx_csv(answer)
            self.assertEqual(caught.exception.code, code)
        with self.assertRaises(RateSourceError) as caught:
            parse_boe_csv("DATE,XUDLUSS\n07 Aug 2025,1.34\n")
        self.assertEqual(caught.exception.code, "columns")
        self.assertEqual(caught.exception.values, {"columns": "IUDBEDR"})
        with self.assertRaises(RateSourceError) as caught:
            PARSERS["ecb"](fixture("ecb_mrr_malformed.csv"))
        self.assertEqual(caught.exception.code, "value")
        self.assertEqual(caught.exception.values["line"], 4)


@tagged("post_install", "-at_install")
class TestRatesToWrite(BaseCase):
    TABLE = [
        (date(2024, 6, 12), D("4.25")),
        (date(2025, 2, 5), D("2.90")),
    ]

    def test_only_what_the_table_lacks_or_has_wrong(self):
        observations = [
            (date(2024, 6, 12), D("4.25")),  # known
            (date(2024, 9, 18), D("3.65")),  # missing
            (date(2025, 2, 5), D("2.75")),  # wrong in the table: corrected
            (date(2025, 6, 11), D("2.15")),  # new
        ]
        self.assertEqual(
            rates_to_write(observations, self.TABLE),
            [
                (date(2024, 9, 18), D("3.65")),
                (date(2025, 2, 5), D("2.75")),
                (date(2025, 6, 11), D("2.15")),
            ],
        )

    def test_a_daily_series_repeating_the_rate_adds_nothing(self):
        daily = [(date(2025, 2, 5) + timedelta(days=n), D("2.90")) for n in range(30)]
        self.assertEqual(rates_to_write(daily, self.TABLE), [])

    def test_changes_written_in_order_see_each_other(self):
        observations = [
            (date(2025, 3, 1), D("2.00")),
            (date(2025, 4, 1), D("2.90")),  # back to the rate of February
        ]
        self.assertEqual(
            rates_to_write(observations, self.TABLE),
            [(date(2025, 3, 1), D("2.00")), (date(2025, 4, 1), D("2.90"))],
        )

    def test_nothing_before_the_first_day_of_the_table(self):
        observations = [(date(2023, 1, 1), D("2.50")), (date(2025, 6, 11), D("2.15"))]
        self.assertEqual(
            rates_to_write(observations, self.TABLE, not_before=date(2024, 6, 12)),
            [(date(2025, 6, 11), D("2.15"))],
        )
        self.assertEqual(
            rates_to_write(observations, []),
            [(date(2023, 1, 1), D("2.50")), (date(2025, 6, 11), D("2.15"))],
        )

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.dates(date(2024, 1, 1), date(2026, 12, 31)),
                st.sampled_from([D("2.15"), D("2.40"), D("3.00")]),
            ),
            min_size=1,
            max_size=25,
            unique_by=lambda obs: obs[0],
        )
    )
    def test_writing_the_answer_then_reading_it_again_writes_nothing(self, answer):
        table = list(self.TABLE)
        table = sorted({**dict(table), **dict(rates_to_write(answer, table))}.items())
        self.assertEqual(rates_to_write(answer, table), [])


def statutory(source="eu", charge_on="monthly"):
    return FeeRuleSpec(
        rule_id=1,
        fee_type="interest",
        charge_on=charge_on,
        rate_source=source,
        margin=D(8),
    )


RATES = [(date(2024, 12, 18), D("3.15")), (date(2025, 6, 11), D("2.15"))]


@tagged("post_install", "-at_install")
class TestStaleRateGuard(BaseCase):
    def test_confirmed_until_follows_each_laws_reference_day(self):
        cases = [
            ("eu", date(2025, 12, 15), date(2025, 12, 31)),
            ("eu", date(2026, 1, 1), date(2026, 6, 30)),
            ("de", date(2026, 6, 30), date(2026, 6, 30)),
            ("uk", date(2025, 12, 15), date(2025, 12, 31)),
            # The UK Act reads 31 December's base rate for January-June.
            ("uk", date(2025, 12, 31), date(2026, 6, 30)),
            ("uk", date(2026, 6, 30), date(2026, 12, 31)),
        ]
        for source, confirmed_on, until in cases:
            with self.subTest(source=source, confirmed_on=confirmed_on):
                self.assertEqual(rates_confirmed_until(source, confirmed_on), until)

    @given(
        st.sampled_from(["eu", "uk", "de"]),
        st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    )
    def test_every_confirmed_day_has_its_reference_day_confirmed(self, source, day):
        until = rates_confirmed_until(source, day)
        self.assertGreaterEqual(until, day)
        self.assertLessEqual(reference_day(source, until), day)
        self.assertGreater(reference_day(source, until + timedelta(days=1)), day)

    def test_months_of_an_unconfirmed_half_year_wait_then_are_charged(self):
        inv = InvoiceFeeState(
            invoice_id=1,
            date_due=date(2025, 11, 30),
            amount_total=D(1000),
            balances=[(date(2025, 11, 30), D(1000))],
        )
        today = date(2026, 3, 10)
        confirmed = rates_confirmed_until("eu", date(2025, 12, 20))
        due = fees_due(
            statutory(), inv, today, rate_table=RATES, rates_confirmed_until=confirmed
        )
        self.assertEqual([c.key for c in due.charges], ["month-2025-12"])
        self.assertEqual(due.waiting_from, date(2026, 1, 1))
        # Confirmed in January: the months wait no more, December is not
        # charged again.
        charged = InvoiceFeeState(
            **{**inv.__dict__, "charged_keys": frozenset({"month-2025-12"})}
        )
        later = fees_due(
            statutory(),
            charged,
            today,
            rate_table=RATES,
            rates_confirmed_until=rates_confirmed_until("eu", date(2026, 1, 5)),
        )
        self.assertEqual(
            [c.key for c in later.charges], ["month-2026-01", "month-2026-02"]
        )
        self.assertIsNone(later.waiting_from)

    def test_interest_up_to_today_stops_at_the_confirmed_day(self):
        inv = InvoiceFeeState(
            invoice_id=1,
            date_due=date(2025, 12, 21),
            amount_total=D(1000),
            balances=[(date(2025, 12, 21), D(1000))],
        )
        due = fees_due(
            statutory(charge_on="level"),
            inv,
            date(2026, 1, 20),
            level_id=3,
            rate_table=RATES,
            rates_confirmed_until=date(2025, 12, 31),
        )
        [charge] = due.charges
        self.assertEqual(
            (charge.date_from, charge.date_to), (date(2025, 12, 22), date(2025, 12, 31))
        )
        self.assertEqual(due.waiting_from, date(2026, 1, 1))

    def test_fixed_rates_and_fixed_sums_never_wait(self):
        inv = InvoiceFeeState(
            invoice_id=1,
            date_due=date(2025, 11, 30),
            amount_total=D(1000),
            balances=[(date(2025, 11, 30), D(1000))],
        )
        fixed = FeeRuleSpec(
            rule_id=2, fee_type="interest", charge_on="monthly", annual_rate=D(9)
        )
        due = fees_due(
            fixed, inv, date(2026, 3, 10), rates_confirmed_until=date(2025, 12, 31)
        )
        self.assertEqual(len(due.charges), 3)
        self.assertIsNone(due.waiting_from)
        compensation = FeeRuleSpec(
            rule_id=3,
            fee_type="interest",
            charge_on="monthly",
            rate_source="eu",
            margin=D(8),
            compensation="fixed",
            compensation_amount=D(40),
        )
        due = fees_due(
            compensation,
            inv,
            date(2026, 3, 10),
            rate_table=RATES,
            rates_confirmed_until=date(2025, 12, 31),
        )
        self.assertEqual(
            [c.key for c in due.charges], ["month-2025-12", "compensation"]
        )
