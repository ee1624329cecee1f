import logging
from urllib.parse import urlsplit

import requests

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..engine.rate_sources import PARSERS, RateSourceError, rates_to_write

_logger = logging.getLogger(__name__)

TIMEOUT = 20  # seconds: a slow source must not hold the scheduled action
HEADERS = {
    # The Bank of England's database refuses requests without a user agent.
    "User-Agent": "Mozilla/5.0 (compatible; Odoo ar_collections reference rates)",
    "Accept": "text/csv, */*;q=0.1",
}


class ArReferenceRateKind(models.Model):
    """Reading each reference rate table from its central bank's data service."""

    _inherit = "ar.reference.rate.kind"

    def _cron_update_rates(self):
        """Scheduled action: update every table that updates automatically.

        A source that cannot be read leaves its table as it is, says why and
        the other tables are still updated; each table is committed alone.
        """
        tables = self.search([("update_active", "=", True)])
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(tables))
        for table in tables:
            table._update_from_source()
            cron._commit_progress(1)

    def action_update_now(self):
        """Button: read the source now and say what came of it."""
        self.check_access("write")
        messages = []
        failed = False
        for table in self:
            if not (table.source_url or "").strip():
                raise UserError(
                    self.env._(
                        "%(table)s has no source address: enter it first.",
                        table=table.display_name,
                    )
                )
            ok, message = table._update_from_source()
            failed = failed or not ok
            messages.append(f"{table.display_name}: {message}")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Reference rates"),
                "message": "\n".join(messages),
                "type": "warning" if failed else "success",
                "sticky": failed,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _update_from_source(self):
        """Read the source, write the rates the table lacks, confirm the table.

        Returns (success, what happened). An unreachable source or an answer
        that is not the documented format writes nothing: the table keeps its
        confirmation date, so interest that needs a newer rate waits.
        """
        self.ensure_one()
        self = self.sudo()
        url = (self.source_url or "").strip()
        try:
            response = requests.get(url, headers=HEADERS, timeout=TIMEOUT)
            response.raise_for_status()
            observations = PARSERS[self.kind](response.content)
        except requests.HTTPError as error:
            return self._update_failed(
                self.env._(
                    "the source answered “%(status)s”",
                    status=f"{error.response.status_code} {error.response.reason}",
                )
            )
        except requests.Timeout:
            return self._update_failed(
                self.env._(
                    "the source did not answer within %(seconds)s seconds",
                    seconds=TIMEOUT,
                )
            )
        except requests.ConnectionError:
            return self._update_failed(
                self.env._(
                    "the source could not be reached (no connection to %(host)s)",
                    host=urlsplit(url).netloc,
                )
            )
        except requests.RequestException as error:
            return self._update_failed(
                self.env._("the source could not be reached (%(error)s)", error=error)
            )
        except RateSourceError as error:
            return self._update_failed(self._explain(error))
        Rate = self.env["ar.reference.rate"]
        table = Rate._rate_table(self.kind)
        written = rates_to_write(
            observations, table, not_before=table[0][0] if table else None
        )
        with self.env.cr.savepoint():
            self._write_rates(written)
        self._confirm("update")
        self.write({"date_last_update": fields.Datetime.now(), "update_error": False})
        if written:
            message = self.env._(
                "%(count)s rate(s) written from the source: %(rates)s.",
                count=len(written),
                rates=", ".join(
                    self.env._(
                        "%(rate)s%% from %(date)s",
                        rate=rate,
                        date=format_date(self.env, day),
                    )
                    for day, rate in written
                ),
            )
            self.message_post(body=message)
        else:
            message = self.env._("the table is up to date.")
        _logger.info(
            "Reference rates %s updated from %s: %s row(s) written",
            self.kind,
            url,
            len(written),
        )
        return True, message

    def _write_rates(self, written):
        """New rows, or a row of that day corrected to the source's rate."""
        Rate = self.env["ar.reference.rate"].with_context(ar_rate_update=True)
        existing = {
            rate.date_from: rate
            for rate in Rate.search(
                [
                    ("kind", "=", self.kind),
                    ("date_from", "in", [day for day, _rate in written]),
                ]
            )
        }
        note = self.env._("Automatic update")
        to_create = []
        for day, rate in written:
            if day in existing:
                existing[day].write({"rate": float(rate), "note": note})
            else:
                to_create.append(
                    {
                        "kind": self.kind,
                        "date_from": day,
                        "rate": float(rate),
                        "note": note,
                    }
                )
        Rate.create(to_create)

    def _update_failed(self, problem):
        """Say why in the log, on the table and to its responsible; write nothing."""
        _logger.warning(
            "Reference rates %s: update from %s failed: %s; nothing written",
            self.kind,
            self.source_url,
            problem,
        )
        message = self.env._(
            "Update failed: %(problem)s. Nothing was written; the table stays "
            "confirmed on %(date)s.",
            problem=problem,
            date=format_date(self.env, self.date_confirmed)
            if self.date_confirmed
            else self.env._("never"),
        )
        if message != self.update_error:
            # Once per problem, not once a day while it lasts.
            self.message_post(body=message)
        self.write({"date_last_update": fields.Datetime.now(), "update_error": message})
        self._warn_manager(
            self.env._("Check the %(table)s", table=self.display_name), message
        )
        return False, message

    def _explain(self, error):
        """The parser's refusal as a sentence."""
        values = error.values
        return {
            "encoding": self.env._("the answer is not UTF-8 text"),
            "not_csv": self.env._(
                "the answer is not CSV (an error page?): check the source address"
            ),
            "columns": self.env._(
                "the answer has no “%(columns)s” column: check the source address",
                columns=values.get("columns"),
            ),
            "date": self.env._(
                "line %(line)s: “%(value)s” is not a date",
                line=values.get("line"),
                value=values.get("value"),
            ),
            "value": self.env._(
                "line %(line)s: “%(value)s” is not a rate",
                line=values.get("line"),
                value=values.get("value"),
            ),
            "range": self.env._(
                "line %(line)s: %(value)s%% is not a plausible rate",
                line=values.get("line"),
                value=values.get("value"),
            ),
            "duplicate": self.env._(
                "line %(line)s: two different rates for %(day)s",
                line=values.get("line"),
                day=values.get("day"),
            ),
            "empty": self.env._("the answer holds no rate"),
        }[error.code]
