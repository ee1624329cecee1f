import base64

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

HANDOVER_STATES = [
    ("draft", "Draft"),
    ("handed_over", "Handed over"),
    ("recovered", "Recovered"),
    ("partial", "Partly recovered"),
    ("written_off", "Written off"),
]


class ArHandover(models.Model):
    """Invoices of one customer handed over to a collection agency or lawyer.

    Handing over freezes the amount, marks the invoices (no more automatic
    chasing) and keeps a PDF dossier: the invoices, what is owed and the full
    contact history, with the invoice PDFs attached.
    """

    _name = "ar.handover"
    _description = "Hand-over to an agency"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    agency_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        help="The collection agency or lawyer (a contact).",
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    date = fields.Date("Handed over on", readonly=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", "Handed over by", readonly=True, default=lambda s: s.env.user
    )
    state = fields.Selection(
        HANDOVER_STATES, required=True, default="draft", index=True, tracking=True
    )
    amount_handed_over = fields.Monetary(
        "Amount handed over", readonly=True, help="Open amount when handed over."
    )
    amount_recovered = fields.Monetary("Amount recovered", tracking=True)
    amount_written_off = fields.Monetary(
        "Amount written off", compute="_compute_amount_written_off", store=True
    )
    amount_open_now = fields.Monetary("Still open", compute="_compute_amount_open_now")
    dossier_id = fields.Many2one("ir.attachment", readonly=True)
    note = fields.Text()

    @api.depends("partner_id", "agency_id")
    def _compute_display_name(self):
        for handover in self:
            handover.display_name = self.env._(
                "%(customer)s → %(agency)s",
                customer=handover.partner_id.name or "",
                agency=handover.agency_id.name or "",
            )

    @api.depends("state", "amount_handed_over", "amount_recovered")
    def _compute_amount_written_off(self):
        for handover in self:
            if handover.state in ("written_off", "partial"):
                handover.amount_written_off = max(
                    handover.amount_handed_over - handover.amount_recovered, 0
                )
            else:
                handover.amount_written_off = 0

    def _compute_amount_open_now(self):
        for handover in self:
            handover.amount_open_now = sum(
                handover.move_ids.mapped("amount_residual_signed")
            )

    @api.constrains("amount_recovered", "amount_handed_over", "state")
    def _check_amount_recovered(self):
        for handover in self:
            currency = handover.currency_id
            if currency.compare_amounts(handover.amount_recovered, 0) < 0:
                raise ValidationError(
                    self.env._("Amount recovered cannot be negative.")
                )
            if (
                handover.state != "draft"
                and currency.compare_amounts(
                    handover.amount_recovered, handover.amount_handed_over
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "Amount recovered of %(file)s cannot be more than the amount "
                        "handed over (%(amount)s).",
                        file=handover.display_name,
                        amount=currency.format(handover.amount_handed_over),
                    )
                )

    def action_hand_over(self):
        """Freeze the amount, mark the invoices, build the dossier, record it."""
        for handover in self:
            handover._check_can_hand_over()
            moves = handover.move_ids
            today = fields.Date.context_today(handover)
            handover.write(
                {
                    "state": "handed_over",
                    "date": today,
                    "user_id": self.env.uid,
                    "amount_handed_over": sum(moves.mapped("amount_residual_signed")),
                }
            )
            moves.write(
                {
                    "ar_handover_state": "handed_over",
                    "ar_date_handover": today,
                    "ar_handover_id": handover.id,
                }
            )
            self.env["ar.followup.action"]._record(
                "handover",
                handover.partner_id,
                company=handover.company_id,
                moves=moves,
                note=self.env._(
                    "Handed over to %(agency)s.", agency=handover.agency_id.name
                ),
                amount_due=handover.amount_handed_over,
            )
            handover._make_dossier()
        return True

    def _check_can_hand_over(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("%(file)s was already handed over.", file=self.display_name)
            )
        if not self.move_ids:
            raise UserError(
                self.env._(
                    "Select the invoices to hand over to %(agency)s.",
                    agency=self.agency_id.name,
                )
            )
        partner = self.partner_id.commercial_partner_id
        others = self.move_ids.filtered(
            lambda m: (
                m.commercial_partner_id != partner
                or m.state != "posted"
                or m.move_type != "out_invoice"
                or m.payment_state not in ("not_paid", "partial")
            )
        )
        if others:
            raise UserError(
                self.env._(
                    "Only open invoices of %(customer)s can be handed over; remove "
                    "%(invoices)s.",
                    customer=partner.display_name,
                    invoices=", ".join(others.mapped("display_name")),
                )
            )

    def _make_dossier(self):
        """Render the dossier PDF and attach it with the invoice PDFs."""
        self.ensure_one()
        report = self.env.ref("ar_collections.action_report_ar_handover_dossier")
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(report, self.ids)
        dossier = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Dossier %(customer)s.pdf", customer=self.partner_id.name
                ),
                "datas": base64.b64encode(pdf),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self.dossier_id = dossier
        invoices = self._invoice_pdfs()
        self.message_post(
            body=self.env._("Dossier for %(agency)s.", agency=self.agency_id.name),
            attachment_ids=(dossier | invoices).ids,
        )

    def _invoice_pdfs(self):
        """One PDF per handed-over invoice (the one sent, else a fresh render)."""
        report = self.env.ref("account.account_invoices")
        attachments = self.env["ir.attachment"]
        for move in self.move_ids:
            pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
                report, move.ids
            )
            attachments |= attachments.create(
                {
                    "name": f"{move._get_report_base_filename()}.pdf",
                    "datas": base64.b64encode(pdf),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        return attachments

    def _dossier_history(self):
        """The customer's whole contact history, oldest first, for the dossier."""
        self.ensure_one()
        return self.env["ar.followup.action"].search(
            [
                ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
            ],
            order="date, id",
        )

    def _set_outcome(self, state):
        for handover in self:
            if handover.state == "draft":
                raise UserError(
                    self.env._(
                        "Hand %(file)s over before recording an outcome.",
                        file=handover.display_name,
                    )
                )
        self.state = state
        return True

    def action_recovered(self):
        """The agency recovered everything."""
        for handover in self:
            handover.amount_recovered = handover.amount_handed_over
        return self._set_outcome("recovered")

    def action_partly_recovered(self):
        for handover in self:
            if handover.currency_id.is_zero(handover.amount_recovered):
                raise UserError(
                    self.env._(
                        "Enter the amount recovered for %(file)s first.",
                        file=handover.display_name,
                    )
                )
        return self._set_outcome("partial")

    def action_written_off(self):
        return self._set_outcome("written_off")
