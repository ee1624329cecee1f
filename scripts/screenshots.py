"""Take the README screenshots from a running demo server (see scripts/screenshots.sh).

Logs in as admin through /web/session/authenticate, runs today's follow-up (so there
is a run record and letters), then drives headless Chromium over the DevTools
protocol with that session cookie, and renders one letter as a PDF (wkhtmltopdf,
through the running server so the report's CSS loads) turned into a PNG by pdftoppm.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

WIDTH, HEIGHT = 1440, 900


class Odoo:
    """A JSON-RPC session on the demo server."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.http = requests.Session()
        result = self.rpc(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        if not result.get("uid"):
            sys.exit(f"login as {login} on {db} failed")
        self.session_id = self.http.cookies["session_id"]

    def rpc(self, path, params):
        """POST a JSON-RPC call and return its result, or exit with the error."""
        response = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            error = body["error"].get("data", {}).get("message") or body["error"]
            raise RuntimeError(f"{path}: {error}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        """Call a model method like the web client does."""
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Browser:
    """Headless Chromium driven through the DevTools protocol (websocket-client)."""

    def __init__(self, chromium):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="arc-shots-chromium-")
        self.proc = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                self.close()
                sys.exit("Chromium did not start its DevTools endpoint")
            time.sleep(0.3)
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.send("Page.enable")
        self.send("Network.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        """Send one DevTools command and wait for its answer (events are skipped)."""
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what, timeout=60):
        """Poll a JavaScript condition until it is true."""
        deadline = time.time() + timeout
        while not self.evaluate(expression):
            if self.evaluate("!!document.querySelector('.oe_login_form')"):
                sys.exit(f"{what}: the browser shows the login page, not the screen")
            if time.time() > deadline:
                sys.exit(f"{what}: the screen did not load within {timeout}s")
            time.sleep(0.5)

    def shoot(self, url, ready, path, before=None):
        """Open ``url``, wait until ``ready`` (JS) holds, optionally run ``before``
        (JS, e.g. a click) and wait again, then save a PNG of the viewport."""
        self.send("Page.navigate", url=url)
        time.sleep(1)
        self.wait_for(ready, path)
        if before:
            self.evaluate(before[0])
            self.wait_for(before[1], path)
        # Let Odoo finish its last renders (lazy fields, fonts) before the shot.
        self.wait_for(
            "document.readyState === 'complete' && "
            "!document.querySelector('.o_loading_indicator, .o_blockUI')",
            path,
        )
        time.sleep(1.5)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        print(f"  {path}")

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def letter_png(odoo, letter_id, path):
    """Render a letter to PDF on the server (wkhtmltopdf) and its first page to PNG."""
    response = odoo.http.get(
        f"{odoo.url}/report/pdf/ar_collections.report_followup_letter/{letter_id}",
        timeout=300,
    )
    response.raise_for_status()
    if not response.content.startswith(b"%PDF"):
        sys.exit("the letter did not render as a PDF (not logged in?)")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "letter.pdf")
        with open(pdf, "wb") as f:
            f.write(response.content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile"]
            + [pdf, path.removesuffix(".png")],
            check=True,
        )
    print(f"  {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()

    odoo = Odoo(args.url, args.db, args.login, args.password)
    # wkhtmltopdf fetches the report's CSS from this URL.
    odoo.call("ir.config_parameter", "set_param", "web.base.url", args.url)
    odoo.call("ir.config_parameter", "set_param", "report.url", args.url)

    # Today's run (idempotent: a second call the same day finds it done).
    try:
        odoo.call("ar.followup.run", "action_run_now", [])
    except RuntimeError as error:
        print(f"  (run now: {error})")
    # The run that did the most (a second "Run now" the same day does nothing).
    run = sorted(
        odoo.call("ar.followup.run", "search_read", [], ["id", "email_count"]),
        key=lambda row: (row["email_count"], row["id"]),
        reverse=True,
    )
    if not run:
        sys.exit("no follow-up run in the database")
    # A demo customer with a contact, an escalation contact and a collector.
    partner_ids = odoo.call(
        "res.partner", "search", [("name", "=", "Northwind Traders")], limit=1
    )
    if not partner_ids:
        customers = odoo.call(
            "ar.followup.customer", "search_read", [], ["partner_id"], limit=1
        )
        partner_ids = [customers[0]["partner_id"][0]] if customers else []
    if not partner_ids:
        sys.exit("no customer to follow up in the database")
    partner_id = partner_ids[0]
    letter = odoo.call(
        "ar.followup.action",
        "search_read",
        [("action_type", "=", "letter"), ("state", "=", "done")],
        ["id"],
        limit=1,
        order="id desc",
    )
    if not letter:
        sys.exit("no letter in the history: the run made none")

    # What tomorrow's run would do, with the reasons for what it would not.
    preview_id = odoo.call("ar.followup.preview", "action_open", [])["res_id"]
    # A statutory fee rule active, as a user who turns one on.
    statutory = odoo.call(
        "ar.fee.rule",
        "search",
        [("active", "=", False), ("rate_source", "=", "eu")],
        limit=1,
    )
    if statutory:
        odoo.call("ar.fee.rule", "write", statutory, {"active": True})

    out = args.out
    browser = Browser(args.chromium)
    try:
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=odoo.session_id,
            url=args.url,
            path="/",
        )
        base = args.url + "/odoo/action-ar_collections."
        browser.shoot(
            base + "ar_followup_customer_action",
            "!!document.querySelector('.o_list_renderer .o_data_row')",
            os.path.join(out, "screenshot_customers.png"),
        )
        browser.shoot(
            f"{args.url}/odoo/action-base.action_partner_form/{partner_id}",
            "!!document.querySelector('.o_form_view .o_notebook')",
            os.path.join(out, "screenshot_partner.png"),
            before=(
                "[...document.querySelectorAll('.o_notebook .nav-link')]"
                ".find(a => a.textContent.trim() === 'Collections').click()",
                "[...document.querySelectorAll('.o_notebook .nav-link.active')]"
                ".some(a => a.textContent.trim() === 'Collections')",
            ),
        )
        browser.shoot(
            f"{base}ar_followup_run_action/{run[0]['id']}",
            "!!document.querySelector('.o_form_view .o_form_sheet')",
            os.path.join(out, "screenshot_run.png"),
        )
        browser.shoot(
            f"{args.url}/odoo/ar.followup.preview/{preview_id}",
            "!!document.querySelector('.o_form_view .o_data_row')",
            os.path.join(out, "screenshot_preview.png"),
        )
        browser.shoot(
            base + "ar_worklist_action",
            "!!document.querySelector('.o_list_renderer')",
            os.path.join(out, "screenshot_worklist.png"),
        )
        # The customer's collections page, opened from the link in its reminder.
        pages = odoo.call(
            "ar.customer.page",
            "search_read",
            [("partner_id", "=", partner_id), ("access_token", "!=", False)],
            ["id", "access_token"],
            limit=1,
        )
        if pages:
            page = pages[0]
            browser.send("Network.deleteCookies", name="session_id", url=args.url)
            browser.shoot(
                f"{args.url}/collections/{page['id']}"
                f"?access_token={page['access_token']}",
                "!!document.querySelector('table')",
                os.path.join(out, "screenshot_customer_page.png"),
            )
            browser.send(
                "Network.setCookie",
                name="session_id",
                value=odoo.session_id,
                url=args.url,
                path="/",
            )
        else:
            print("  (no customer page for the demo customer: no shot)")
        browser.shoot(
            base + "ar_fee_rule_action",
            "!!document.querySelector('.o_list_renderer .o_data_row')",
            os.path.join(out, "screenshot_fee_rules.png"),
        )
    finally:
        browser.close()
    letter_png(odoo, letter[0]["id"], os.path.join(out, "screenshot_letter.png"))


if __name__ == "__main__":
    main()
