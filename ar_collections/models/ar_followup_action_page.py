from odoo import api, fields, models

PAGE_ACTION_TYPES = [
    ("paid_claim", "Customer says paid"),
    ("paid_claim_matched", "Payment received as announced"),
    ("paid_claim_resumed", "Announced payment not received"),
    ("plan_requested", "Payment plan requested"),
]


class ArFollowupAction(models.Model):
    """History entries of the customer's own answers (its collections page).

    An entry recorded while the context holds ``ar_customer_page`` comes from
    the customer page: its origin says so and no user did it.
    """

    # One file per job: ar.followup.action is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.action"

    action_type = fields.Selection(
        selection_add=PAGE_ACTION_TYPES,
        ondelete={value: "cascade" for value, _label in PAGE_ACTION_TYPES},
    )
    origin = fields.Selection(
        selection_add=[("customer_page", "Customer page")],
        ondelete={"customer_page": "set default"},
    )
    payment_notice_id = fields.Many2one(
        "ar.payment.notice",
        "Payment notice",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    @api.model
    def _prepare_entry_vals(self, action_type, partner, **values):
        vals = super()._prepare_entry_vals(action_type, partner, **values)
        if self.env.context.get("ar_customer_page"):
            vals.update(origin="customer_page", user_id=False)
        return vals
