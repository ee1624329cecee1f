from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..engine.errors import FeeError
from ..engine.fees import InvoiceFeeState, fees_due
from .ar_reference_rate import SOURCE_KIND
from .engine_messages import engine_message

FEE_KINDS = [
    ("fixed", "Fixed fee"),
    ("percent", "Percentage fee"),
    ("interest", "Interest"),
    ("compensation", "Statutory compensation"),
]


class ArFee(models.Model):
    """A late fee or interest charged on an overdue invoice.

    One record per (invoice, rule, period), enforced by a unique index: the
    same fee is never charged twice, and a waived fee is not charged again.
    The fee itself is a posted customer invoice (``fee_move_id``).
    """

    _name = "ar.fee"
    _description = "Late fee"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    rule_id = fields.Many2one(
        "ar.fee.rule", required=True, ondelete="restrict", check_company=True
    )
    level_id = fields.Many2one("ar.followup.level", ondelete="set null")
    action_id = fields.Many2one(
        "ar.followup.action", "History entry", ondelete="set null"
    )
    period_key = fields.Char(required=True, readonly=True)
    kind = fields.Selection(FEE_KINDS, required=True)
    date = fields.Date(required=True, index=True)
    date_from = fields.Date("Interest from")
    date_to = fields.Date("Interest to")
    days = fields.Integer()
    rate = fields.Float("Rate (%)", digits=(16, 4))
    currency_id = fields.Many2one("res.currency", required=True)
    amount_base = fields.Monetary("Base")
    amount = fields.Monetary(required=True)
    calculation = fields.Text(readonly=True)
    state = fields.Selection(
        [("charged", "Charged"), ("waived", "Waived")],
        required=True,
        default="charged",
        index=True,
    )
    fee_move_id = fields.Many2one(
        "account.move", "Fee document", index="btree_not_null", readonly=True
    )
    fee_line_id = fields.Many2one("account.move.line", readonly=True)
    waiver_move_id = fields.Many2one("account.move", "Credit note", readonly=True)
    waive_reason = fields.Text("Waiver reason", readonly=True)
    waived_by_id = fields.Many2one("res.users", "Waived by", readonly=True)
    date_waived = fields.Date("Waived on", readonly=True)

    _charged_once = models.UniqueIndex(
        "(move_id, rule_id, period_key)",
        "This fee was already charged on this invoice for this period.",
    )

    @api.depends("kind", "move_id", "amount")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for fee in self:
            fee.display_name = f"{kinds.get(fee.kind, '')} · {fee.move_id.name or ''}"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_charged(self):
        if self.filtered("fee_move_id"):
            raise UserError(
                self.env._(
                    "A charged fee is an accounting document: waive it (a credit "
                    "note) instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # What is due
    # ------------------------------------------------------------------

    @api.model
    def _due_charges(self, moves, today, levels_by_move=None, holds=None):
        """Fees due today on ``moves`` (one company), as (charge, rule, move, level).

        ``levels_by_move``: {invoice id: level reached today}; those levels'
        rules apply on top of the company's monthly / once-overdue rules.
        ``holds``: a list to which (rule, move, first day) is added for the
        statutory interest that waits for its reference rate table.
        """
        levels_by_move = levels_by_move or {}
        if not moves:
            return []
        company = moves.company_id
        company.ensure_one()
        standalone = self.env["ar.fee.rule"].search(
            [("company_id", "=", company.id), ("charge_on", "!=", "level")]
        )
        level_rules = (
            self.env["ar.followup.level"].concat(*levels_by_move.values()).fee_rule_ids
        )
        if not standalone and not level_rules:
            return []  # the common case: no fee rule applies
        moves = moves._ar_fee_chargeable(today)
        if not moves:
            return []
        existing = self._charged_so_far(moves)
        balances = self._read_balances(moves)
        tables = {}
        confirmed = {}
        specs = {}
        result = []
        for move in moves:
            level = levels_by_move.get(move.id) or self.env["ar.followup.level"]
            rules = standalone | level.fee_rule_ids.filtered(
                lambda r: r.active and r.charge_on == "level"
            )
            partner = move.commercial_partner_id
            for rule in rules:
                key = (rule.id, move.currency_id.id)
                if key not in specs:
                    specs[key] = rule._to_spec(move.currency_id, today)
                spec = specs[key]
                if rule.rate_source != "fixed" and rule.rate_source not in tables:
                    tables[rule.rate_source] = self.env[
                        "ar.reference.rate"
                    ]._rate_table(SOURCE_KIND[rule.rate_source])
                    confirmed[rule.rate_source] = self.env[
                        "ar.reference.rate.kind"
                    ]._rates_confirmed_until(rule.rate_source)
                keys, charged, last_to = existing.get(
                    (move.id, rule.id), (frozenset(), Decimal(0), None)
                )
                state = InvoiceFeeState(
                    invoice_id=move.id,
                    date_due=move.ar_date_due,
                    amount_total=Decimal(str(move.amount_total)),
                    balances=balances[move.id],
                    is_company=partner.is_company,
                    consumer_agreed=partner.ar_fees_agreed,
                    debt_in_rule_currency=Decimal(
                        str(
                            move.currency_id._convert(
                                move.amount_total, rule.currency_id, company, today
                            )
                        )
                    ),
                    charged_keys=frozenset(keys),
                    charged_amount=charged,
                    last_interest_to=last_to,
                )
                try:
                    due = fees_due(
                        spec,
                        state,
                        today,
                        level_id=level.id or None,
                        rate_table=tables.get(rule.rate_source),
                        rates_confirmed_until=confirmed.get(rule.rate_source),
                        decimals=move.currency_id.decimal_places,
                    )
                except FeeError as error:
                    raise UserError(
                        engine_message(
                            self.env, error, move.currency_id, rule=rule.name
                        )
                    ) from error
                if due.waiting_from and holds is not None:
                    holds.append((rule, move, due.waiting_from))
                result.extend((charge, rule, move, level) for charge in due.charges)
        return result

    @api.model
    def _charged_so_far(self, moves):
        """{(invoice, rule): (period keys, amount charged, last interest day)}."""
        fees = self.sudo().search_fetch(
            [("move_id", "in", moves.ids)],
            ["move_id", "rule_id", "period_key", "amount", "state", "date_to"],
        )
        result = {}
        for fee in fees:
            keys, charged, last_to = result.get(
                (fee.move_id.id, fee.rule_id.id), (set(), Decimal(0), None)
            )
            keys.add(fee.period_key)
            if fee.state == "charged":
                charged += Decimal(str(fee.amount))
            if fee.date_to and (not last_to or fee.date_to > last_to):
                last_to = fee.date_to
            result[fee.move_id.id, fee.rule_id.id] = (keys, charged, last_to)
        return result

    @api.model
    def _read_balances(self, moves):
        """Overdue amount of each invoice over time, in its currency.

        The invoice total from its due date, then less each payment or credit
        note from the date it was reconciled: one grouped query.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.move_id, apr.max_date, SUM(apr.debit_amount_currency)
                  FROM account_partial_reconcile apr
                  JOIN account_move_line aml ON aml.id = apr.debit_move_id
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.move_id IN %s
                   AND account.account_type = 'asset_receivable'
                 GROUP BY aml.move_id, apr.max_date
                 ORDER BY apr.max_date
                """,
                tuple(moves.ids),
            )
        )
        paid = defaultdict(list)
        for move_id, day, amount in self.env.cr.fetchall():
            paid[move_id].append((day, Decimal(str(amount or 0))))
        # Amounts in open dispute bear no fee: only the undisputed rest does.
        disputed = self.env["ar.dispute"]._open_amounts(moves.ids)
        result = {}
        for move in moves:
            due = move.ar_date_due
            payments = paid[move.id]
            left = Decimal(str(move.amount_total)) - sum(
                (amount for day, amount in payments if day <= due), Decimal(0)
            )
            steps = [(due, left)]
            for day, amount in payments:
                if day > due:
                    left -= amount
                    steps.append((day, left))
            if disputed.get(move.id):
                steps = [
                    (day, max(amount - disputed[move.id], Decimal(0)))
                    for day, amount in steps
                ]
            result[move.id] = steps
        return result

    # ------------------------------------------------------------------
    # Charging
    # ------------------------------------------------------------------

    @api.model
    def _charge(self, charges, today, action=None):
        """Record ``charges`` (from ``_due_charges``) and post their documents."""
        if not charges:
            return self.browse()
        fees = self.create(
            [
                {
                    "company_id": move.company_id.id,
                    "partner_id": move.commercial_partner_id.id,
                    "move_id": move.id,
                    "rule_id": rule.id,
                    "level_id": level.id or False,
                    "action_id": action.id if action else False,
                    "period_key": charge.key,
                    "kind": charge.kind,
                    "date": today,
                    "date_from": charge.date_from,
                    "date_to": charge.date_to,
                    "days": charge.days,
                    "rate": float(charge.rate or 0),
                    "currency_id": move.currency_id.id,
                    "amount_base": float(charge.base),
                    "amount": float(charge.amount),
                    "calculation": self._explain(charge, rule, move),
                }
                for charge, rule, move, level in charges
            ]
        )
        fees._post_documents()
        return fees

    def _explain(self, charge, rule, move):
        """The calculation in words a customer can check."""
        currency = move.currency_id

        def money(amount):
            return currency.format(float(amount))

        if charge.kind == "fixed":
            return self.env._(
                "%(rule)s: fixed fee %(amount)s",
                rule=rule.name,
                amount=money(charge.amount),
            )
        if charge.kind == "compensation":
            return self.env._(
                "%(rule)s: fixed compensation for recovery costs %(amount)s",
                rule=rule.name,
                amount=money(charge.amount),
            )
        if charge.kind == "percent":
            return self.env._(
                "%(rule)s: %(rate)s%% of %(base)s = %(amount)s",
                rule=rule.name,
                rate=rule._number(float(charge.rate)),
                base=money(charge.base),
                amount=money(charge.amount),
            )
        lines = [
            self.env._(
                "%(rule)s: interest from %(start)s to %(end)s (%(days)s days, "
                "%(count)s days a year) = %(amount)s",
                rule=rule.name,
                start=format_date(self.env, charge.date_from),
                end=format_date(self.env, charge.date_to),
                days=charge.days,
                count=rule.day_count,
                amount=money(charge.amount),
            )
        ]
        for piece in charge.pieces:
            lines.append(
                self.env._(
                    "  %(days)s days (%(start)s to %(end)s) on %(base)s at "
                    "%(rate)s%% a year",
                    days=piece.days,
                    start=format_date(self.env, piece.date_from),
                    end=format_date(self.env, piece.date_to),
                    base=money(piece.base),
                    rate=rule._number(float(piece.annual_rate)),
                )
            )
        return "\n".join(lines)

    def _post_documents(self):
        """One customer invoice per source invoice, or per customer and currency."""
        for company, fees in self.grouped("company_id").items():
            journal, product = company._ar_fee_journal_and_product()
            if company.ar_fee_grouping == "partner":
                groups = fees.grouped(lambda f: (f.partner_id, f.currency_id))
            else:
                groups = fees.grouped("move_id")
            vals_list = [
                group._prepare_fee_move_vals(journal, product)
                for group in groups.values()
            ]
            documents = (
                self.env["account.move"]
                .sudo()
                .with_company(company)
                .with_context(default_move_type="out_invoice")
                .create(vals_list)
            )
            documents.action_post()
            for group, document in zip(groups.values(), documents, strict=True):
                lines = document.invoice_line_ids.sorted("sequence")
                for fee, line in zip(group, lines, strict=True):
                    fee.write({"fee_move_id": document.id, "fee_line_id": line.id})

    def _prepare_fee_move_vals(self, journal, product):
        first = self[0]
        sources = self.move_id
        return {
            "move_type": "out_invoice",
            "partner_id": first.partner_id.id,
            "company_id": first.company_id.id,
            "journal_id": journal.id,
            "currency_id": first.currency_id.id,
            "invoice_date": first.date,
            "invoice_date_due": first.date,
            "invoice_origin": ", ".join(sources.mapped("name")),
            "ar_fee_source_move_id": sources.id if len(sources) == 1 else False,
            "ar_is_fee_document": True,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "%(invoice)s — %(calculation)s",
                            invoice=fee.move_id.name,
                            calculation=fee.calculation,
                        ),
                        "quantity": 1,
                        "price_unit": fee.amount,
                        "sequence": index,
                    }
                )
                for index, fee in enumerate(self, start=1)
            ],
        }
