from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..engine import answers
from ..engine.answers import PlanBounds, first_installment_date, plan_refusal
from . import receivable_scope as scope

# Customer-facing dispute reasons: (code, non-payment reason record).
DISPUTE_REASONS = (
    ("wrong_amount", "ar_collections.ar_nonpayment_reason_wrong_amount"),
    ("not_received", "ar_collections.ar_nonpayment_reason_not_received"),
    ("quality", "ar_collections.ar_nonpayment_reason_dispute_goods"),
    ("already_paid", "ar_collections.ar_nonpayment_reason_says_paid"),
    ("unclear", "ar_collections.ar_nonpayment_reason_confusing_invoice"),
    ("other", "ar_collections.ar_nonpayment_reason_unknown"),
)


class ArCustomerAnswer(models.AbstractModel):
    """Payment plans requested and disputes opened by the customer itself."""

    # One file per job: ar.customer.answer is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.customer.answer"

    # ------------------------------------------------------------------
    # Payment plan
    # ------------------------------------------------------------------

    @api.model
    def _ar_plan_preview(self, partner, company, move_ids, installments, frequency):
        """The schedule the customer would get: ``[{"date", "amount"}]``, from
        the engine collectors' plans use; out of the policy's bounds is
        refused."""
        partner, company = self._ar_customer(partner, company)
        policy = self._ar_check_offer(partner, company, "plan")
        moves, count, frequency, schedule = self._ar_plan_schedule(
            partner, company, policy, move_ids, installments, frequency
        )
        return [
            {"date": inst.date_due, "amount": float(inst.amount)} for inst in schedule
        ]

    @api.model
    def _ar_plan_request(
        self,
        partner,
        company,
        move_ids,
        installments,
        frequency,
        signer_name,
        meta=None,
    ):
        """The customer asks for a plan and signs it with its typed name: an
        ``ar.payment.plan``, active at once if the policy accepts plans within
        its bounds, else a draft waiting for the collector's approval."""
        partner, company = self._ar_customer(partner, company)
        policy = self._ar_check_offer(partner, company, "plan")
        moves, count, frequency, schedule = self._ar_plan_schedule(
            partner, company, policy, move_ids, installments, frequency
        )
        signer = self._ar_text(signer_name, self.env._("Your name"), 128, required=True)
        Plan = self.env["ar.payment.plan"].sudo().with_context(ar_customer_page=True)
        Plan._check_moves(moves)
        meta = meta or {}
        collector = self._ar_collector(partner, company)
        env = self._ar_for_collector(partner, company)
        currency = moves.currency_id
        total = sum(moves.mapped("amount_residual"))
        with self.env.cr.savepoint():
            plan = Plan.create(
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "currency_id": currency.id,
                    "move_ids": [Command.set(moves.ids)],
                    "frequency": frequency,
                    "date_first": schedule[0].date_due,
                    "amount_total": total,
                    "tolerance_days": policy.plan_tolerance_days,
                    "reminder_days": policy.installment_reminder_days,
                    "user_id": collector.id,
                    "source": "customer_page",
                    "accepted_by": signer,
                    "signed_by": signer,
                    "date_signed": fields.Datetime.now(),
                    "signed_ip": (meta.get("ip") or "")[:64] or False,
                    "signed_user_agent": (meta.get("user_agent") or "")[:256] or False,
                }
            )
            plan._set_schedule(schedule)
            values = {
                "customer": partner.name,
                "plan": plan.name,
                "count": count,
                "total": currency.format(total),
                "signer": signer,
            }
            if policy.page_plan_auto_accept:
                plan.action_accept()
                plan.accepted_user_id = False
                action = (
                    self.env["ar.followup.action"]
                    .sudo()
                    .search(
                        [
                            ("partner_id", "=", partner.id),
                            ("action_type", "=", "plan"),
                            ("origin", "=", "customer_page"),
                        ],
                        order="id desc",
                        limit=1,
                    )
                )
                text = env._(
                    "%(customer)s set up the payment plan %(plan)s on its page: "
                    "%(count)s installments, %(total)s, signed by %(signer)s. It "
                    "is active.",
                    **values,
                )
            else:
                text = env._(
                    "%(customer)s requests the payment plan %(plan)s on its page: "
                    "%(count)s installments, %(total)s, signed by %(signer)s. "
                    "Accept or cancel it.",
                    **values,
                )
                action = (
                    self.env["ar.followup.action"]
                    .sudo()
                    .with_context(ar_customer_page=True)
                    ._record(
                        "plan_requested",
                        partner,
                        company=company,
                        moves=moves,
                        note=text,
                        amount_due=total,
                    )
                )
            self._ar_notify(partner, company, action, text)
        return plan

    @api.model
    def _ar_plan_schedule(
        self, partner, company, policy, move_ids, installments, frequency
    ):
        """(invoices, count, frequency, installments) of a plan within the
        policy's bounds, or a refusal."""
        moves = self._ar_moves(partner, company, move_ids)
        label = self.env._("Number of installments")
        number = self._ar_number(installments, label)
        if number != int(number):
            raise UserError(self.env._("%(field)s: enter a whole number.", field=label))
        count = int(number)
        frequency = str(frequency or "").strip()
        allowed = policy._page_plan_frequencies()
        labels = dict(
            self.env["ar.payment.plan"]
            ._fields["frequency"]
            ._description_selection(self.env)
        )
        if frequency not in allowed:
            raise UserError(
                self.env._(
                    "Frequency: choose %(allowed)s.",
                    allowed=self.env._(" or ").join(labels[f] for f in allowed),
                )
            )
        if count < 2 or count > policy.page_plan_max_installments:
            raise UserError(
                self.env._(
                    "%(field)s: choose between 2 and %(max)s.",
                    field=label,
                    max=policy.page_plan_max_installments,
                )
            )
        currency = moves.currency_id
        today = scope.company_today(self.env, company)
        total = sum(moves.mapped("amount_residual"))
        schedule = self.env["ar.payment.plan"]._build_schedule(
            total, currency, first_installment_date(today), frequency, count=count
        )
        minimum = company.currency_id._convert(
            policy.page_plan_min_installment, currency, company, today
        )
        refusal = plan_refusal(
            count,
            frequency,
            schedule,
            today,
            PlanBounds(
                max_installments=policy.page_plan_max_installments,
                min_installment=Decimal(str(currency.round(minimum))),
                max_days=policy.page_plan_max_days,
                frequencies=tuple(allowed),
            ),
        )
        if refusal:
            code, values = refusal
            if code == answers.PLAN_INSTALLMENT_TOO_SMALL:
                raise UserError(
                    self.env._(
                        "%(field)s: with %(count)s installments one would be "
                        "%(amount)s, below the smallest installment we accept "
                        "(%(min)s). Choose fewer installments.",
                        field=label,
                        count=count,
                        amount=currency.format(float(values["amount"])),
                        min=currency.format(float(values["min"])),
                    )
                )
            if code == answers.PLAN_TOO_LONG:
                raise UserError(
                    self.env._(
                        "%(field)s: the last installment would be due on %(date)s, "
                        "more than %(days)s days from today. Choose fewer "
                        "installments or a shorter frequency.",
                        field=label,
                        date=fields.Date.to_string(values["date"]),
                        days=values["max_days"],
                    )
                )
            raise UserError(
                self.env._(
                    "%(field)s: choose between 2 and %(max)s.",
                    field=label,
                    max=policy.page_plan_max_installments,
                )
            )
        return moves, count, frequency, schedule

    # ------------------------------------------------------------------
    # Dispute
    # ------------------------------------------------------------------

    @api.model
    def _ar_dispute_reasons(self):
        """``[(code, label)]`` the customer picks from, in its language."""
        labels = {
            "wrong_amount": self.env._("The amount is wrong"),
            "not_received": self.env._("I did not receive the goods or service"),
            "quality": self.env._("Quality problem"),
            "already_paid": self.env._("I have already paid this invoice"),
            "unclear": self.env._("I do not understand the invoice"),
            "other": self.env._("Other"),
        }
        return [(code, labels[code]) for code, _xmlid in DISPUTE_REASONS]

    @api.model
    def _ar_dispute_reason(self, code, company):
        """The non-payment reason behind a customer-facing reason code."""
        xmlid = dict(DISPUTE_REASONS).get(str(code or ""))
        if not xmlid:
            raise UserError(
                self.env._(
                    "Reason: choose one of the reasons in the list (%(reasons)s).",
                    reasons=", ".join(
                        label for _c, label in self._ar_dispute_reasons()
                    ),
                )
            )
        reason = self.env.ref(xmlid, raise_if_not_found=False)
        if not reason or not reason.active:
            reason = self.env["ar.dispute"].with_company(company)._default_reason_id()
        return reason.sudo()

    @api.model
    def _ar_dispute(
        self,
        partner,
        company,
        move_id,
        reason_code,
        amount,
        message,
        attachment=None,
        meta=None,
    ):
        """The customer disputes ``amount`` of one invoice: an ``ar.dispute``
        owned by its collector; the disputed part is no longer chased."""
        partner, company = self._ar_customer(partner, company)
        self._ar_check_offer(partner, company, "dispute")
        move = self._ar_moves(partner, company, move_id, single=True)
        reason = self._ar_dispute_reason(reason_code, company)
        if (
            self.env["ar.dispute"]
            .sudo()
            .search_count([("move_id", "=", move.id), ("state", "=", "open")], limit=1)
        ):
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s: you already disputed it and we are "
                    "looking into it. To add something, contact us at %(contact)s.",
                    invoice=move.name,
                    contact=self._ar_contact(company),
                )
            )
        value = self._ar_amount(amount, self.env._("Amount"), move.currency_id, move)
        text_label = self.env._("Message")
        note = self._ar_text(message, text_label, required=str(reason_code) == "other")
        upload = self._ar_upload(attachment)
        collector = self._ar_collector(partner, company)
        env = self._ar_for_collector(partner, company)
        with self.env.cr.savepoint():
            dispute = (
                self.env["ar.dispute"]
                .sudo()
                .with_context(ar_customer_page=True, mail_create_nosubscribe=True)
                .create(
                    {
                        "move_id": move.id,
                        "reason_id": reason.id,
                        "amount_disputed": value,
                        "note": note or False,
                        "user_id": collector.id,
                        "source": "customer_page",
                        "date": scope.company_today(self.env, company),
                    }
                )
            )
            attachments = self.env["ir.attachment"]
            if upload:
                attachments = self._ar_attach(dispute, upload)
            dispute.message_post(
                body=note or reason.name,
                author_id=partner.id,
                subtype_xmlid="mail.mt_note",
                attachment_ids=attachments.ids,
            )
            action = (
                self.env["ar.followup.action"]
                .sudo()
                .search([("dispute_id", "=", dispute.id)], limit=1)
            )
            text = env._(
                "%(customer)s disputes %(amount)s of %(invoice)s on its page: "
                "%(reason)s. %(message)s",
                customer=partner.name,
                amount=move.currency_id.format(value),
                invoice=move.name,
                reason=dict(self._ar_dispute_reasons())[str(reason_code)],
                message=note,
            ).strip()
            self._ar_notify(partner, company, action, text)
        return dispute
