from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class ArFee(models.Model):
    """Waiving late fees: a credit note per fee document, and the history."""

    _inherit = "ar.fee"

    def _waive(self, reason):
        """Credit the fees back, one credit note per fee document, and say so."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason to waive a fee."))
        waived = self.filtered(lambda f: f.state == "waived")
        if waived:
            raise UserError(
                self.env._(
                    "These fees are already waived: %(fees)s",
                    fees=", ".join(waived.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        for document, fees in self.grouped("fee_move_id").items():
            refund = fees._create_credit_note(document, reason, today)
            fees.write(
                {
                    "state": "waived",
                    "waiver_move_id": refund.id,
                    "waive_reason": reason,
                    "waived_by_id": self.env.uid,
                    "date_waived": today,
                }
            )
        for (company, partner), fees in self.grouped(
            lambda f: (f.company_id, f.partner_id)
        ).items():
            self.env["ar.followup.action"]._record(
                "fee_waived",
                partner,
                company=company,
                note=self.env._(
                    "Waived: %(fees)s. Reason: %(reason)s",
                    fees="; ".join(
                        f"{fee.display_name} {fee.currency_id.format(fee.amount)}"
                        for fee in fees
                    ),
                    reason=reason,
                ),
                amount_due=sum(fees.mapped("amount")),
                # Each fee waived, on the invoice it was charged for.
                line_ids=[
                    Command.create(
                        {"move_id": fee.move_id.id, "amount_residual": fee.amount}
                    )
                    for fee in fees
                ],
            )
        return True

    def _create_credit_note(self, document, reason, today):
        """A posted credit note for these fees' lines, reconciled with the fee."""
        refund = (
            self.env["account.move"]
            .sudo()
            .with_company(document.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": document.partner_id.id,
                    "company_id": document.company_id.id,
                    "journal_id": document.journal_id.id,
                    "currency_id": document.currency_id.id,
                    "invoice_date": today,
                    "reversed_entry_id": document.id,
                    "ref": self.env._(
                        "Waiver of %(doc)s: %(reason)s",
                        doc=document.name,
                        reason=reason,
                    ),
                    "ar_is_fee_document": True,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": fee.fee_line_id.product_id.id,
                                "name": fee.fee_line_id.name,
                                "account_id": fee.fee_line_id.account_id.id,
                                "tax_ids": [Command.set(fee.fee_line_id.tax_ids.ids)],
                                "quantity": 1,
                                "price_unit": fee.fee_line_id.price_unit,
                            }
                        )
                        for fee in self
                    ],
                }
            )
        )
        refund.action_post()
        receivable = (document.line_ids | refund.line_ids).filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
        )
        if len(receivable) > 1:
            receivable.reconcile()
        return refund
