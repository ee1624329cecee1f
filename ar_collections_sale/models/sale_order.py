from odoo import api, fields, models
from odoo.exceptions import UserError

MANAGER_GROUP = "ar_collections.ar_collections_group_manager"


class SaleOrder(models.Model):
    """Quotations of a customer on credit hold: shown on the quotation, and
    confirmed only by a collections manager giving a reason (recorded in the
    customer's follow-up history).

    A quotation paid in full (online payment) is confirmed as usual: paying up
    front is what the hold asks of the customer.
    """

    _inherit = "sale.order"

    ar_partner_credit_hold = fields.Boolean(
        "Customer on credit hold", compute="_compute_ar_credit_hold"
    )
    ar_credit_hold_warning = fields.Char(
        "Credit hold warning", compute="_compute_ar_credit_hold"
    )

    @api.depends("partner_id", "company_id", "state")
    def _compute_ar_credit_hold(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id
            held = bool(partner) and bool(
                partner.with_company(order.company_id).ar_credit_hold
            )
            order.ar_partner_credit_hold = held
            if not held:
                order.ar_credit_hold_warning = False
            elif order.state in ("draft", "sent"):
                order.ar_credit_hold_warning = self.env._(
                    "%(partner)s is on credit hold: only a Collections Manager can "
                    "confirm this quotation, giving a reason (or the customer pays "
                    "it in full first).",
                    partner=partner.display_name,
                )
            else:
                order.ar_credit_hold_warning = self.env._(
                    "%(partner)s is on credit hold: check with collections before "
                    "delivering or invoicing.",
                    partner=partner.display_name,
                )

    def action_confirm(self):
        """Refuse to confirm quotations of customers on hold, unless a
        collections manager gives a reason (context ``ar_hold_override_reason``,
        or the question the form's button asks them)."""
        held = self._ar_held_orders()
        if not held:
            return super().action_confirm()
        reason = (self.env.context.get("ar_hold_override_reason") or "").strip()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(held._ar_hold_message())
        if not reason:
            if self.env.context.get("ar_hold_ask"):
                return held._ar_hold_confirmation_action(self)
            raise UserError(held._ar_hold_message())
        result = super().action_confirm()
        held._ar_record_hold_override(reason)
        return result

    def _ar_held_orders(self):
        """Quotations of these whose customer is on credit hold in the order's
        company and that are not paid in full."""
        return self.filtered(
            lambda o: (
                o.state in ("draft", "sent")
                and o.ar_partner_credit_hold
                and not (
                    o.currency_id.compare_amounts(o.amount_total, 0) > 0
                    and o.currency_id.compare_amounts(o.amount_paid, o.amount_total)
                    >= 0
                )
            )
        )

    def _ar_hold_message(self):
        return self.env._(
            "%(orders)s cannot be confirmed: %(partners)s is on credit hold. Only a "
            "Collections Manager can confirm it anyway, giving a reason that is "
            "recorded in the customer's follow-up history; or the customer pays "
            "the quotation in full first.",
            orders=", ".join(self.mapped("name")),
            partners=", ".join(self.partner_id.commercial_partner_id.mapped("name")),
        )

    def _ar_hold_confirmation_action(self, to_confirm):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer on credit hold"),
            "res_model": "ar.sale.hold.confirm",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_order_ids": to_confirm.ids,
                "default_held_order_ids": self.ids,
            },
        }

    def _ar_record_hold_override(self, reason):
        """Note, in each customer's history and on the order, a confirmation
        despite the hold."""
        vals_list = []
        for order in self:
            partner = order.partner_id.commercial_partner_id
            note = self.env._(
                "%(order)s confirmed although the customer is on credit hold "
                "(decided by %(user)s). Reason: %(reason)s",
                order=order.name,
                user=self.env.user.name,
                reason=reason,
            )
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": order.company_id.id,
                    "action_type": "note",
                    "origin": "manual",
                    "amount_due": partner.sudo()
                    .with_company(order.company_id)
                    .ar_amount_overdue,
                    "note": note,
                }
            )
            order.message_post(body=note)
        self.env["ar.followup.action"].sudo().create(vals_list)
