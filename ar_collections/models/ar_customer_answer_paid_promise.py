from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..engine.answers import BROKEN_PROMISE_MEMORY_DAYS, promise_refusal
from . import receivable_scope as scope


class ArCustomerAnswer(models.AbstractModel):
    """“I have already paid” and promises to pay made by the customer itself."""

    # One file per job: ar.customer.answer is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.customer.answer"

    # ------------------------------------------------------------------
    # "I have already paid" and "Promise to pay"
    # ------------------------------------------------------------------

    @api.model
    def _ar_claim_paid(
        self,
        partner,
        company,
        move_ids,
        payment_date,
        amount,
        reference,
        attachment=None,
        meta=None,
    ):
        """The customer says it has paid ``move_ids``: an ``ar.payment.notice``
        that pauses their chasing for the policy's days."""
        partner, company = self._ar_customer(partner, company)
        policy = self._ar_check_offer(partner, company, "paid")
        moves = self._ar_moves(partner, company, move_ids)
        self._ar_check_no_notice(moves, company)
        today = scope.company_today(self.env, company)
        paid_on = self._ar_date(payment_date, self.env._("Payment date"))
        if paid_on > today:
            raise UserError(
                self.env._(
                    "Payment date: %(date)s is in the future. Enter the day you "
                    "paid (today or earlier).",
                    date=fields.Date.to_string(paid_on),
                )
            )
        earliest = min(moves.mapped(lambda m: m.invoice_date or m.date))
        if paid_on < earliest:
            raise UserError(
                self.env._(
                    "Payment date: %(date)s is before the invoice date "
                    "(%(earliest)s). Enter the day you paid.",
                    date=fields.Date.to_string(paid_on),
                    earliest=fields.Date.to_string(earliest),
                )
            )
        currency = moves.currency_id
        value = self._ar_amount(amount, self.env._("Amount"), currency, moves)
        reference = self._ar_text(reference, self.env._("Payment reference"), 64)
        upload = self._ar_upload(attachment)
        meta = meta or {}
        with self.env.cr.savepoint():
            notice = (
                self.env["ar.payment.notice"]
                .sudo()
                .create(
                    {
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "move_ids": [Command.set(moves.ids)],
                        "date_payment": paid_on,
                        "currency_id": currency.id,
                        "amount": value,
                        "reference": reference,
                        "pause_until": today
                        + timedelta(days=policy.page_paid_pause_days),
                        "source": "customer_page",
                        "user_id": self._ar_collector(partner, company).id,
                        "ip_address": meta.get("ip") or False,
                    }
                )
            )
            if upload:
                notice.attachment_id = self._ar_attach(notice, upload)
            text = self._ar_for_collector(partner, company)._(
                "%(customer)s says it paid %(amount)s on %(date)s (reference: "
                "%(reference)s) for %(invoices)s: not chased until %(until)s.",
                customer=partner.name,
                amount=currency.format(value),
                date=fields.Date.to_string(paid_on),
                reference=reference or "-",
                invoices=", ".join(moves.mapped("name")),
                until=fields.Date.to_string(notice.pause_until),
            )
            action = notice.with_context(ar_customer_page=True)._record(
                "paid_claim", text
            )
            self._ar_notify(partner, company, action, text, notice.attachment_id)
        return notice

    @api.model
    def _ar_check_no_notice(self, moves, company):
        """One word per invoice: a payment already announced and awaited, or
        announced and never received, cannot pause the chasing again."""
        notices = (
            self.env["ar.payment.notice"]
            .sudo()
            .search(
                [
                    ("move_ids", "in", moves.ids),
                    ("state", "in", ("waiting", "resumed")),
                ],
                order="id desc",
            )
        )
        if not notices:
            return
        invoices = ", ".join((notices.move_ids & moves).mapped("name"))
        if "waiting" in notices.mapped("state"):
            raise UserError(
                self.env._(
                    "Invoices: you already told us you paid %(invoices)s; we are "
                    "waiting for the payment to reach our bank. Nothing more to do.",
                    invoices=invoices,
                )
            )
        raise UserError(
            self.env._(
                "Invoices: the payment you announced for %(invoices)s has not "
                "reached us. Please contact us at %(contact)s with the proof of "
                "payment.",
                invoices=invoices,
                contact=self._ar_contact(company),
            )
        )

    @api.model
    def _ar_promise(self, partner, company, move_ids, promise_date, amount, meta=None):
        """The customer promises to pay ``amount`` on ``move_ids`` by
        ``promise_date``: an ``ar.promise`` on the customer page channel,
        checked each day like any other promise."""
        partner, company = self._ar_customer(partner, company)
        policy = self._ar_check_offer(partner, company, "promise")
        today = scope.company_today(self.env, company)
        blocked = self._ar_promise_blocked(partner, company, policy, today)
        if blocked:
            raise UserError(blocked)
        moves = self._ar_moves(partner, company, move_ids)
        when = self._ar_date(promise_date, self.env._("Promised date"))
        latest = today + timedelta(days=policy.page_promise_max_days)
        if when < today:
            raise UserError(
                self.env._(
                    "Promised date: %(date)s is in the past. Choose a date from "
                    "today to %(latest)s.",
                    date=fields.Date.to_string(when),
                    latest=fields.Date.to_string(latest),
                )
            )
        if when > latest:
            raise UserError(
                self.env._(
                    "Promised date: you can promise at most %(days)s days ahead, "
                    "until %(latest)s. Choose an earlier date or contact us at "
                    "%(contact)s.",
                    days=policy.page_promise_max_days,
                    latest=fields.Date.to_string(latest),
                    contact=self._ar_contact(company),
                )
            )
        currency = moves.currency_id
        value = self._ar_amount(amount, self.env._("Amount"), currency, moves)
        with self.env.cr.savepoint():
            Promise = self.env["ar.promise"].sudo().with_context(ar_customer_page=True)
            promise = Promise.create(
                Promise._prepare_from_moves(
                    moves,
                    date_promised=when,
                    amount_promised=value,
                    channel="portal",
                    user_id=self._ar_collector(partner, company).id,
                    note=self._ar_meta_note(meta),
                )
            )
            action = (
                self.env["ar.followup.action"]
                .sudo()
                .search([("promise_id", "=", promise.id)], limit=1)
            )
            text = self._ar_for_collector(partner, company)._(
                "%(customer)s promises to pay %(amount)s by %(date)s for %(invoices)s.",
                customer=partner.name,
                amount=currency.format(value),
                date=fields.Date.to_string(when),
                invoices=", ".join(moves.mapped("name")),
            )
            self._ar_notify(partner, company, action, text)
        return promise

    @api.model
    def _ar_promise_blocked(self, partner, company, policy, today):
        """Why the customer may not promise by itself now (a sentence), or ''."""
        Promise = self.env["ar.promise"].sudo()
        base = [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        open_own = Promise.search_count(
            [*base, ("channel", "=", "portal"), ("state", "=", "open")]
        )
        broken = bool(
            Promise.search_count(
                [
                    *base,
                    ("state", "in", ("broken", "partial")),
                    (
                        "date_closed",
                        ">=",
                        today - timedelta(days=BROKEN_PROMISE_MEMORY_DAYS),
                    ),
                ],
                limit=1,
            )
        )
        refusal = promise_refusal(
            open_own,
            policy.page_promise_max_open,
            broken,
            policy.page_promise_block_after_broken,
        )
        if not refusal:
            return ""
        contact = self._ar_contact(company)
        if refusal[0] == "promise_after_broken":
            return self.env._(
                "A payment promise was not kept in the last 12 months, so we "
                "cannot take a new one here. Please contact us at %(contact)s to "
                "agree on a date.",
                contact=contact,
            )
        return self.env._(
            "You already have %(count)s open payment promise(s). Please keep "
            "them, or contact us at %(contact)s to agree on a new date.",
            count=refusal[1]["count"],
            contact=contact,
        )
