from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """Prepayment for chronic late payers: a follow-up level or the credit hold
    switches the customer's payment terms (e.g. to immediate payment), and the
    terms it had come back, exactly, when the hold is lifted.

    Everything is per company, like the hold and the payment terms themselves.
    """

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    ar_payment_term_switched_id = fields.Many2one(
        "account.payment.term",
        "Payment terms set by collections",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="The prepayment terms a follow-up level or the credit hold gave this "
        "customer. Empty: its payment terms are its own.",
    )
    ar_payment_term_previous_id = fields.Many2one(
        "account.payment.term",
        "Payment terms before collections",
        company_dependent=True,
        copy=False,
        readonly=True,
        ondelete="restrict",
        help="Given back when the credit hold is lifted (empty: no payment terms).",
    )

    def write(self, vals):
        if "ar_credit_hold" not in vals:
            return super().write(vals)
        hold = bool(vals["ar_credit_hold"])
        changing = self.filtered(lambda p: bool(p.ar_credit_hold) != hold)
        result = super().write(vals)
        if hold:
            changing._ar_switch_payment_terms_for_hold()
        else:
            changing._ar_restore_payment_terms(self.env._("the credit hold was lifted"))
        return result

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _ar_payment_term_problem(self, term, company, setting):
        """Why ``term`` cannot be given to ``company``'s customers ("" if it can).

        ``setting`` names where the terms were chosen, e.g. "the level “Final
        notice”".
        """
        if not term:
            return ""
        term = term.sudo().with_context(active_test=False)
        if not term.exists():
            return self.env._(
                "The payment terms chosen for %(setting)s no longer exist: choose "
                "other payment terms.",
                setting=setting,
            )
        if not term.active:
            return self.env._(
                "The payment terms “%(term)s” are archived: choose active payment "
                "terms for %(setting)s.",
                term=term.display_name,
                setting=setting,
            )
        if term.company_id and term.company_id not in company.parent_ids:
            return self.env._(
                "The payment terms “%(term)s” belong to %(other)s: %(setting)s "
                "needs payment terms of %(company)s or shared by all companies.",
                term=term.display_name,
                other=term.company_id.name,
                setting=setting,
                company=company.name,
            )
        return ""

    @api.model
    def _ar_hold_terms_setting(self):
        """Where the hold's payment terms are chosen, for messages."""
        return self.env._("“Payment terms while on hold” (Invoicing settings)")

    def _ar_switch_payment_terms(self, term, why, setting):
        """Give this customer ``term`` in the current company; the note for its
        history. The terms it had are remembered once: a second switch (level,
        then hold) still restores the customer's own terms.

        Raises UserError when ``term`` cannot be used (archived, other company):
        ``setting`` names where it was chosen.
        """
        self.ensure_one()
        company = self.env.company
        problem = self._ar_payment_term_problem(term, company, setting)
        if problem:
            raise UserError(problem)
        before = self.property_payment_term_id
        if before == term:
            return self.env._(
                "Payment terms already “%(term)s”: nothing to switch (%(why)s).",
                term=term.display_name,
                why=why,
            )
        vals = {
            "property_payment_term_id": term.id,
            "ar_payment_term_switched_id": term.id,
        }
        if not self.ar_payment_term_switched_id:
            vals["ar_payment_term_previous_id"] = before.id
        self.sudo().with_company(company).write(vals)
        return self.env._(
            "Payment terms switched from %(before)s to “%(term)s” (%(why)s); "
            "the previous terms come back when the credit hold is lifted.",
            before=self._ar_term_name(before),
            term=term.display_name,
            why=why,
        )

    def _ar_term_name(self, term):
        if not term:
            return self.env._("no payment terms")
        return f"“{term.display_name}”"

    def _ar_switch_payment_terms_for_hold(self):
        """Customers just put on hold get the company's "Payment terms while on
        hold", unless a level already switched them."""
        company = self.env.company
        term = company.ar_hold_payment_term_id
        partners = self.filtered(lambda p: not p.ar_payment_term_switched_id)
        if not term or not partners:
            return
        why = self.env._("credit hold")
        setting = self._ar_hold_terms_setting()
        vals_list = []
        for partner in partners:
            vals = {"action_type": "terms"}
            try:
                vals["note"] = partner._ar_switch_payment_terms(term, why, setting)
            except UserError as error:
                vals.update(state="failed", error=str(error))
            vals_list.append(vals)
        partners._ar_record_terms(vals_list)

    def _ar_restore_payment_terms(self, why):
        """Give back the terms these customers had before collections switched
        them, in the current company, and record it. Terms changed by hand
        since the switch are kept."""
        switched = self.filtered("ar_payment_term_switched_id")
        vals_list = []
        for partner in switched:
            previous = partner.ar_payment_term_previous_id
            current = partner.property_payment_term_id
            vals = {
                "ar_payment_term_switched_id": False,
                "ar_payment_term_previous_id": False,
            }
            if current == partner.ar_payment_term_switched_id:
                vals["property_payment_term_id"] = previous.id
                note = self.env._(
                    "Payment terms back to %(previous)s (%(why)s).",
                    previous=partner._ar_term_name(previous),
                    why=why,
                )
            else:
                note = self.env._(
                    "Payment terms left at %(current)s, changed by hand since they "
                    "were switched (%(why)s); before the switch: %(previous)s.",
                    current=partner._ar_term_name(current),
                    previous=partner._ar_term_name(previous),
                    why=why,
                )
            partner.sudo().with_company(self.env.company).write(vals)
            vals_list.append({"action_type": "terms_restored", "note": note})
        switched._ar_record_terms(vals_list)
        return switched

    def _ar_record_terms(self, vals_list):
        """One history entry per customer (``vals_list`` in the same order)."""
        self.env["ar.followup.action"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.env.company.id,
                    "origin": "manual",
                    "amount_due": partner.ar_amount_overdue,
                    **vals,
                }
                for partner, vals in zip(self, vals_list, strict=True)
            ]
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_ar_restore_payment_terms(self):
        """Give back the customer's own payment terms now (managers)."""
        if not self.env.user.has_group("ar_collections.ar_collections_group_manager"):
            raise UserError(
                self.env._(
                    "Only a Collections Manager can give back the payment terms "
                    "of %(partners)s.",
                    partners=", ".join(self.mapped("display_name")),
                )
            )
        restored = self.commercial_partner_id._ar_restore_payment_terms(
            self.env._("restored by %(user)s", user=self.env.user.name)
        )
        if not restored:
            raise UserError(
                self.env._("Collections did not switch these customers' payment terms.")
            )
        return True
