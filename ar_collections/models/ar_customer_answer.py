import base64
import binascii
import math
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import receivable_scope as scope

# Offers a policy can switch on or off, by the key the page uses.
OFFER_FIELDS = {
    "paid": "page_offer_paid",
    "promise": "page_offer_promise",
    "plan": "page_offer_plan",
    "dispute": "page_offer_dispute",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TEXT_LENGTH = 4000


class ArCustomerAnswer(models.AbstractModel):
    """The customer's answers to its reminders, as its collections page sends them.

    Each public ``_ar_*`` method takes the customer (a commercial partner),
    the company, the values as the browser posted them (strings or numbers)
    and ``meta`` (``ip``, ``user_agent``). Everything is checked again here:
    a refusal is a ``UserError`` the customer can read, naming the field and
    the fix, and nothing is written. An accepted answer is in the contact
    history (origin “Customer page”), in an activity for the customer's
    collector and in the customer's chatter.

    The page's controller calls these methods; they work as superuser
    (``sudo``) on the one customer and company they are given.
    """

    _name = "ar.customer.answer"
    _description = "Customer answers from the collections page"

    # ------------------------------------------------------------------
    # What the page offers
    # ------------------------------------------------------------------

    @api.model
    def _ar_page_offers(self, partner, company):
        """Which answers the page offers this customer, and their limits.

        Keys: ``paid``, ``promise``, ``plan``, ``dispute`` (offered or not),
        ``paid_pause_days``, ``promise_max_date``, ``promise_blocked_reason``
        (a sentence when the customer must contact the collector instead of
        promising, else ``False``), ``plan_max_installments``,
        ``plan_min_installment`` (company currency), ``plan_max_days``,
        ``plan_frequencies`` ([(code, label)]), ``plan_auto_accept``,
        ``rate_limit``, ``answers_left`` (this hour), ``dispute_reasons``
        ([(code, label)]), ``contact`` (how to reach the company).
        """
        partner, company = self._ar_customer(partner, company)
        policy = self._ar_policy(partner, company)
        today = scope.company_today(self.env, company)
        if not policy:
            return {key: False for key in OFFER_FIELDS} | {
                "promise_blocked_reason": False,
                "contact": self._ar_contact(company),
            }
        frequencies = dict(
            self.env["ar.payment.plan"]
            ._fields["frequency"]
            ._description_selection(self.env)
        )
        return {
            **{key: policy[name] for key, name in OFFER_FIELDS.items()},
            "paid_pause_days": policy.page_paid_pause_days,
            "promise_max_days": policy.page_promise_max_days,
            "promise_max_date": today + timedelta(days=policy.page_promise_max_days),
            "promise_blocked_reason": self._ar_promise_blocked(
                partner, company, policy, today
            )
            or False,
            "plan_max_installments": policy.page_plan_max_installments,
            "plan_min_installment": policy.page_plan_min_installment,
            "plan_max_days": policy.page_plan_max_days,
            "plan_frequencies": [
                (code, frequencies[code]) for code in policy._page_plan_frequencies()
            ],
            "plan_auto_accept": policy.page_plan_auto_accept,
            "rate_limit": policy.page_rate_limit,
            "answers_left": max(
                policy.page_rate_limit - self._ar_answers_last_hour(partner, company),
                0,
            ),
            "dispute_reasons": self._ar_dispute_reasons(),
            "contact": self._ar_contact(company),
        }

    # ------------------------------------------------------------------
    # Shared checks (each raises a UserError the customer can read)
    # ------------------------------------------------------------------

    @api.model
    def _ar_customer(self, partner, company):
        """The customer's commercial entity and the company, as superuser."""
        if not partner or not company:
            raise UserError(self.env._("This page is not valid any more."))
        return partner.sudo().commercial_partner_id, company.sudo()

    @api.model
    def _ar_policy(self, partner, company):
        return partner._ar_get_policy(company)

    @api.model
    def _ar_check_offer(self, partner, company, key):
        """The policy, if it offers ``key`` and the customer is under the
        hourly limit; else a refusal."""
        policy = self._ar_policy(partner, company)
        if not policy or not policy[OFFER_FIELDS[key]]:
            raise UserError(
                self.env._(
                    "This answer is not offered on this page. Please contact us "
                    "at %(contact)s.",
                    contact=self._ar_contact(company),
                )
            )
        count = self._ar_answers_last_hour(partner, company)
        if count >= policy.page_rate_limit:
            raise UserError(
                self.env._(
                    "You have sent %(count)s answers in the last hour. Please try "
                    "again later or contact us at %(contact)s.",
                    count=count,
                    contact=self._ar_contact(company),
                )
            )
        return policy

    @api.model
    def _ar_answers_last_hour(self, partner, company):
        """Answers this customer sent from its page in the last hour."""
        since = fields.Datetime.now() - timedelta(hours=1)
        base = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", company.id),
            ("create_date", ">=", since),
        ]
        return (
            self.env["ar.payment.notice"]
            .sudo()
            .search_count([*base, ("source", "=", "customer_page")])
            + self.env["ar.promise"]
            .sudo()
            .search_count([*base, ("channel", "=", "portal")])
            + self.env["ar.payment.plan"]
            .sudo()
            .search_count([*base, ("source", "=", "customer_page")])
            + self.env["ar.dispute"]
            .sudo()
            .search_count([*base, ("source", "=", "customer_page")])
        )

    @api.model
    def _ar_moves(self, partner, company, move_ids, single=False):
        """The customer's open invoices in ``company`` among ``move_ids``.

        Another customer's or company's invoice, or an id that is not one, is
        refused without saying what it is.
        """
        label = self.env._("Invoice") if single else self.env._("Invoices")
        if isinstance(move_ids, str):
            move_ids = [part for part in move_ids.split(",") if part.strip()]
        elif not isinstance(move_ids, list | tuple | set | frozenset):
            move_ids = [move_ids] if move_ids else []
        try:
            ids = {int(str(value).strip()) for value in move_ids}
        except (TypeError, ValueError):
            ids = {-1}
        if not ids:
            raise UserError(
                self.env._(
                    "%(field)s: select at least one invoice.",
                    field=label,
                )
            )
        moves = self.env["account.move"].sudo().browse(ids).exists()
        if len(moves) != len(ids) or any(
            move.commercial_partner_id != partner
            or move.company_id != company
            or move.state != "posted"
            or move.move_type != "out_invoice"
            for move in moves
        ):
            raise UserError(
                self.env._(
                    "%(field)s: some of the invoices you selected are not among "
                    "your open invoices. Reload the page and select them again.",
                    field=label,
                )
            )
        if single and len(moves) > 1:
            raise UserError(self.env._("%(field)s: select one invoice.", field=label))
        paid = moves.filtered(
            lambda m: m.currency_id.compare_amounts(m.amount_residual, 0) <= 0
        )
        if paid:
            raise UserError(
                self.env._(
                    "%(field)s: %(invoices)s already paid. Select only invoices "
                    "still open.",
                    field=label,
                    invoices=", ".join(paid.mapped("name")),
                )
            )
        if len(moves.currency_id) > 1:
            raise UserError(
                self.env._(
                    "%(field)s: select invoices in one currency at a time.",
                    field=label,
                )
            )
        return moves

    @api.model
    def _ar_amount(self, value, label, currency, moves):
        """A positive amount no more than what is left to pay on ``moves``."""
        amount = self._ar_number(value, label)
        if currency.compare_amounts(amount, 0) <= 0:
            raise UserError(
                self.env._(
                    "%(field)s: enter an amount above zero.",
                    field=label,
                )
            )
        due = sum(moves.mapped("amount_residual"))
        if currency.compare_amounts(amount, due) > 0:
            raise UserError(
                self.env._(
                    "%(field)s: %(amount)s is more than what is left to pay on "
                    "these invoices (%(due)s). Enter %(due)s or less.",
                    field=label,
                    amount=currency.format(amount),
                    due=currency.format(due),
                )
            )
        return currency.round(amount)

    @api.model
    def _ar_number(self, value, label):
        """A number as typed: ``150``, ``150.5`` or ``150,5``."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            text = str(value or "").strip().replace(" ", "").replace("\u00a0", "")
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                number = math.nan
        if not math.isfinite(number):
            raise UserError(
                self.env._(
                    "%(field)s: enter a number such as 150.00.",
                    field=label,
                )
            )
        return number

    @api.model
    def _ar_date(self, value, label):
        """A date as posted (``YYYY-MM-DD``)."""
        if isinstance(value, date):
            return value
        try:
            result = fields.Date.to_date(str(value or "").strip()[:10])
        except ValueError:
            result = None
        if not result:
            raise UserError(
                self.env._(
                    "%(field)s: enter a date such as 2025-03-31.",
                    field=label,
                )
            )
        return result

    @api.model
    def _ar_text(self, value, label, size=MAX_TEXT_LENGTH, required=False):
        """A text as typed, stripped; too long or missing is refused."""
        text = str(value or "").strip()
        if required and not text:
            raise UserError(self.env._("%(field)s: please fill it in.", field=label))
        if len(text) > size:
            raise UserError(
                self.env._(
                    "%(field)s: at most %(size)s characters, please shorten it.",
                    field=label,
                    size=size,
                )
            )
        return text

    @api.model
    def _ar_upload(self, attachment):
        """``{"name", "raw"}`` of an uploaded file, or ``None``.

        ``attachment``: ``{"name", "data"}`` with ``data`` base64 (as a form
        posts it; bytes that are not base64 are taken as they are), or
        ``{"name", "raw"}`` with the file's bytes.
        """
        if not attachment:
            return None
        label = self.env._("Attachment")
        name = self._ar_text(attachment.get("name"), label, 128, required=True)
        data = attachment.get("data") or b""
        if isinstance(data, str):
            data = data.encode()
        if attachment.get("raw") is not None:
            raw = attachment["raw"]
        else:
            try:
                raw = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raw = data
        if not raw:
            raise UserError(self.env._("%(field)s: the file is empty.", field=label))
        if len(raw) > MAX_ATTACHMENT_BYTES:
            raise UserError(
                self.env._(
                    "%(field)s: the file is larger than %(size)s MB. Send a "
                    "smaller file.",
                    field=label,
                    size=MAX_ATTACHMENT_BYTES // (1024 * 1024),
                )
            )
        return {"name": name, "raw": raw}

    @api.model
    def _ar_attach(self, record, upload):
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": upload["name"],
                    "raw": upload["raw"],
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
        )

    # ------------------------------------------------------------------
    # Who is told, and how
    # ------------------------------------------------------------------

    @api.model
    def _ar_collector(self, partner, company):
        """The customer's collector, else its salesperson, else a collections
        manager of the company, else the administrator."""
        partner = partner.with_company(company)
        user = partner.ar_collector_id or partner.user_id
        if not user:
            user = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        (
                            "group_ids",
                            "in",
                            self.env.ref(
                                "ar_collections.ar_collections_group_manager"
                            ).ids,
                        ),
                        ("company_ids", "in", company.ids),
                        ("share", "=", False),
                    ],
                    order="id",
                    limit=1,
                )
            )
        return user or self.env.ref("base.user_admin")

    @api.model
    def _ar_for_collector(self, partner, company):
        """An environment in the collector's language, for what it reads."""
        lang = self._ar_collector(partner, company).lang
        return self.with_context(lang=lang).env if lang else self.env

    @api.model
    def _ar_contact(self, company):
        """How the customer reaches the company: its email, else its phone."""
        return company.email or company.phone or company.name

    @api.model
    def _ar_meta_note(self, meta):
        meta = meta or {}
        if not meta.get("ip"):
            return False
        return self.env._("Sent from the customer page (IP %(ip)s).", ip=meta.get("ip"))

    @api.model
    def _ar_notify(self, partner, company, action, text, attachments=None):
        """An activity for the collector and a note in the customer's chatter."""
        collector = self._ar_collector(partner, company)
        env = self._ar_for_collector(partner, company)
        partner = partner.with_company(company).sudo()
        activity = partner.activity_schedule(
            "ar_collections.mail_activity_type_customer_answer",
            date_deadline=scope.company_today(self.env, company),
            summary=env._("Customer page: %(answer)s", answer=action.display_name)
            if action
            else env._("Customer page answer"),
            note=text,
            user_id=collector.id,
        )
        if action:
            action.activity_id = activity
        partner.message_post(
            body=text,
            author_id=partner.id,
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachments.ids if attachments else [],
        )
        return activity
