"""The reference rate update, against a real local HTTP server answering what
the central banks' data services answer (tests/data/; no internet here)."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import ArCollectionsCommon
from .test_first_hour_fees_run import ViewReader

UPDATE_LOGGER = "odoo.addons.ar_collections.models.ar_reference_rate_update"


class RateSourceServer:
    """A local HTTP server: ``answers`` maps a path to (status, body)."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("User-Agent")))
                status, body = server.answers.get(self.path, (404, b"Not found"))
                self.send_response(status)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass  # keep the test log clean

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def recorded(name):
    with file_open(f"ar_collections/tests/data/{name}", "rb") as answer:
        return answer.read()


@tagged("post_install", "-at_install")
class TestReferenceRateUpdate(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = RateSourceServer()
        cls.addClassCleanup(cls.server.stop)
        cls.tables = {
            kind: cls.env.ref(f"ar_collections.reference_rate_kind_{kind}")
            for kind in ("ecb", "boe", "de_base")
        }
        for kind, path in (("ecb", "ecb"), ("boe", "boe"), ("de_base", "bundesbank")):
            cls.tables[kind].write(
                {"source_url": f"{cls.server.url}/{path}", "user_id": cls.manager.id}
            )
        cls.Rate = cls.env["ar.reference.rate"]

    def setUp(self):
        super().setUp()
        self.server.answers = {
            "/ecb": (200, recorded("ecb_mrr.csv")),
            "/boe": (200, recorded("boe_bank_rate.csv")),
            "/bundesbank": (200, recorded("bundesbank_base_rate.csv")),
        }
        self.server.requests = []

    def rates(self, kind):
        return {
            str(rate.date_from): rate.rate
            for rate in self.Rate.search([("kind", "=", kind)])
        }

    def forget(self, kind, *days):
        """The table lacks these published rates (as if never entered)."""
        self.Rate.search([("kind", "=", kind), ("date_from", "in", days)]).unlink()

    def written_messages(self, table):
        return table.message_ids.filtered(
            lambda m: "written from the source" in (m.body or "")
        )

    def run_cron(self):
        cron = self.env.ref("ar_collections.ir_cron_update_reference_rates")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_each_source_read_and_its_missing_rates_written_once(self):
        self.forget("ecb", "2025-04-23", "2025-06-11")
        self.forget("boe", "2025-08-07")
        self.forget("de_base", "2025-07-01")
        before = {kind: self.rates(kind) for kind in self.tables}
        self.run_cron()
        # ECB Data Portal: the two cuts of spring 2025 are back.
        self.assertEqual(
            {day: rate for day, rate in self.rates("ecb").items() if day >= "2025"},
            {
                "2025-02-05": 2.9,
                "2025-03-12": 2.65,
                "2025-04-23": 2.4,
                "2025-06-11": 2.15,
            },
        )
        # Bank of England: a daily series; one row, on the day Bank Rate moved.
        self.assertEqual(self.rates("boe")["2025-08-07"], 4.0)
        self.assertEqual(len(self.rates("boe")), len(before["boe"]) + 1)
        # Bundesbank: the base rate of 1 July 2025, from the July value.
        self.assertEqual(self.rates("de_base")["2025-07-01"], 1.27)
        self.assertEqual(len(self.rates("de_base")), len(before["de_base"]) + 1)
        new = self.Rate.search([("date_from", "in", ["2025-06-11", "2025-07-01"])])
        self.assertEqual(set(new.mapped("note")), {"Automatic update"})
        for table in self.tables.values():
            with self.subTest(table=table.kind):
                self.assertEqual(table.date_confirmed, self.today)
                self.assertEqual(table.confirmed_by, "update")
                self.assertFalse(table.update_error)
                self.assertEqual(len(self.written_messages(table)), 1)
        self.assertIn("4.00% from", self.written_messages(self.tables["boe"]).body)
        # The services were asked with a user agent (the Bank of England's wants one).
        self.assertTrue(all(agent for _path, agent in self.server.requests))

        # Idempotent: the same answers again write nothing and say nothing.
        after = {kind: self.rates(kind) for kind in self.tables}
        messages = {kind: len(t.message_ids) for kind, t in self.tables.items()}
        self.run_cron()
        self.assertEqual({kind: self.rates(kind) for kind in self.tables}, after)
        self.assertEqual(
            {kind: len(t.message_ids) for kind, t in self.tables.items()}, messages
        )

    def test_update_now_button_tells_the_manager(self):
        self.forget("ecb", "2025-06-11")
        table = self.tables["ecb"].with_user(self.manager)
        action = table.action_update_now()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 rate(s) written", action["params"]["message"])
        self.assertEqual(self.rates("ecb")["2025-06-11"], 2.15)
        action = table.action_update_now()
        self.assertIn("the table is up to date", action["params"]["message"])
        # A collector sees the tables but neither updates nor confirms them.
        as_collector = self.tables["ecb"].with_user(self.collector)
        self.assertTrue(as_collector.date_confirmed)
        for button in ("action_update_now", "action_confirm_in_force"):
            with self.subTest(button=button), self.assertRaises(AccessError):
                getattr(as_collector, button)()

    def test_malformed_answers_refused_with_nothing_written(self):
        self.server.answers.update(
            {
                "/ecb": (200, recorded("ecb_mrr_malformed.csv")),
                "/boe": (200, recorded("boe_error_page.html")),
                "/bundesbank": (500, b"Internal Server Error"),
            }
        )
        self.forget("ecb", "2025-06-11")
        before = {kind: self.rates(kind) for kind in self.tables}
        expected = {
            "ecb": "line 4: “3.40*” is not a rate",
            "boe": "the answer is not CSV",
            "de_base": "the source answered “500 Internal Server Error”",
        }
        for kind, problem in expected.items():
            table = self.tables[kind].with_user(self.manager)
            with (
                self.subTest(kind=kind),
                self.assertLogs(UPDATE_LOGGER, "WARNING") as logs,
            ):
                action = table.action_update_now()
                table.action_update_now()  # a second try: one message, one activity
            self.assertEqual(action["params"]["type"], "warning")
            self.assertIn(problem, action["params"]["message"])
            self.assertIn("nothing written", logs.output[0])
            self.assertIn(problem, table.update_error)
            self.assertIn("Nothing was written", table.update_error)
            self.assertEqual(table.date_confirmed.isoformat(), "2025-08-07")
            bodies = [message.body or "" for message in table.message_ids]
            self.assertEqual(len([body for body in bodies if problem in body]), 1)
            activity = table.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.manager)
            self.assertIn(problem, activity.note)
        self.assertEqual({kind: self.rates(kind) for kind in self.tables}, before)

        # The source answers properly again: written, confirmed, activity done.
        self.server.answers["/ecb"] = (200, recorded("ecb_mrr.csv"))
        self.tables["ecb"].with_user(self.manager).action_update_now()
        self.assertEqual(self.rates("ecb")["2025-06-11"], 2.15)
        self.assertFalse(self.tables["ecb"].update_error)
        self.assertFalse(self.tables["ecb"].activity_ids)

    def test_unreachable_source_warns(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        table = self.tables["boe"]
        table.source_url = f"http://127.0.0.1:{closed_port}/boe"
        before = self.rates("boe")
        with self.assertLogs(UPDATE_LOGGER, "WARNING") as logs:
            self.run_cron()
        self.assertEqual(len(logs.output), 1, "the other sources were read")
        self.assertIn(f"127.0.0.1:{closed_port}", logs.output[0])
        self.assertIn(
            "the source could not be reached "
            f"(no connection to 127.0.0.1:{closed_port})",
            table.update_error,
        )
        self.assertEqual(self.rates("boe"), before)
        self.assertEqual(table.date_confirmed.isoformat(), "2025-08-07")
        self.assertEqual(self.tables["ecb"].date_confirmed, self.today)
        self.assertTrue(table.activity_ids)

    def test_bad_settings_refused_clearly(self):
        table = self.tables["ecb"].with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "enter the source address"):
            table.source_url = False
        with self.assertRaisesRegex(ValidationError, "must start with https://"):
            table.source_url = "ftp://data-api.ecb.europa.eu/service"
        # Kept by hand: no address needed, but "Update now" asks for one.
        table.write({"update_active": False, "source_url": False})
        with self.assertRaisesRegex(UserError, "has no source address"):
            table.action_update_now()

    def test_a_manager_entering_a_rate_or_confirming_it_confirms_the_table(self):
        table = self.tables["boe"]
        table._warn_manager("Check", "Check the table")
        self.Rate.with_user(self.manager).create(
            {"kind": "boe", "date_from": self.today, "rate": 3.75}
        )
        self.assertEqual(table.date_confirmed, self.today)
        self.assertEqual(table.confirmed_by, "rate")
        self.assertEqual(table.confirmed_user_id, self.manager)
        self.assertFalse(table.activity_ids, "the activity is done")
        ecb = self.tables["ecb"]
        ecb.with_user(self.manager).action_confirm_in_force()
        self.assertEqual((ecb.date_confirmed, ecb.confirmed_by), (self.today, "manual"))
        self.assertIn("Confirmed still in force: 2.15%", ecb.message_ids[0].body)
        # The rates list shows when each table was confirmed.
        rows = self.Rate.with_user(self.manager).web_search_read(
            [("kind", "in", ["boe", "ecb"])],
            {"kind": {}, "date_table_confirmed": {}},
        )["records"]
        self.assertEqual({row["date_table_confirmed"] for row in rows}, {self.today})

    def test_tables_list_and_form_as_the_web_client_reads_them(self):
        self.tables["de_base"].with_user(self.manager).action_update_now()
        self.server.answers["/boe"] = (503, b"Service Unavailable")
        with self.assertLogs(UPDATE_LOGGER, "WARNING"):
            self.tables["boe"].with_user(self.manager).action_update_now()
        Table = self.env["ar.reference.rate.kind"].with_user(self.manager)
        rows, arch = ViewReader.rows(Table, "list")
        by_kind = {row["kind"]: row for row in rows}
        self.assertEqual(list(by_kind), ["ecb", "boe", "de_base"])
        self.assertEqual(by_kind["ecb"]["rate_current"], 2.15)
        self.assertEqual(str(by_kind["ecb"]["date_rate_current"]), "2025-06-11")
        self.assertEqual(str(by_kind["ecb"]["date_confirmed"]), "2025-08-07")
        self.assertEqual(by_kind["ecb"]["confirmed_by"], "shipped")
        self.assertEqual(by_kind["de_base"]["date_confirmed"], self.today)
        self.assertIn("503", by_kind["boe"]["update_error"])
        self.assertEqual(
            sorted(arch.xpath("//button/@name")),
            ["action_confirm_in_force", "action_update_now"],
        )
        [form], form_arch = ViewReader.rows(Table, "form", records=self.tables["boe"])
        self.assertIn("503", form["update_error"])
        self.assertTrue(form_arch.xpath("//chatter"))
