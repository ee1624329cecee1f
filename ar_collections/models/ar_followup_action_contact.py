from odoo import fields, models

from ..engine import contact_rules as rules_engine

# History actions the contact window applies to when they are carried out.
SCHEDULED_CHANNELS = {
    "email": rules_engine.EMAIL,
    "call": rules_engine.CALL,
    # Only with the SMS glue addon; an SMS cannot wait: it is not sent.
    "sms": rules_engine.SMS,
}


class ArFollowupAction(models.Model):
    """Contacts carried out within the contact rules.

    Whoever carries an email or a call out (the daily run, a reminder sent
    by hand, an approval), it goes through :meth:`_ar_schedule_contacts`
    first: outside the customer's contact window the email waits in the
    outgoing queue and the call is planned for the window's day; a customer
    who asked not to be called gets no call. Holding a customer back at its
    contact limit is for the callers, before anything is recorded.
    """

    # One file per job: ar.followup.action is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.action"

    date_not_before = fields.Datetime(
        "Not before",
        readonly=True,
        copy=False,
        help="The contact rules of the policy let this contact happen from this "
        "moment (the customer's contact hours, weekends, public holidays, "
        "contact limits): the email waits in the outgoing queue until then, the "
        "call is planned for that day. The note says which rule.",
    )

    def _execute(self, apply_levels=True):
        self._ar_schedule_contacts()
        return super()._execute(apply_levels=apply_levels)

    def _ar_schedule_contacts(self):
        """Apply the contact rules to the emails and calls about to be
        carried out: a later moment (``date_not_before``) and why (``note``),
        or no call at all (cancelled) for a customer who opted out; an SMS
        the rules hold back is not sent at all (cancelled, with why).

        One verdict computation per company for all the actions; the
        actions themselves do not count against the limits.
        """
        actions = self.filtered(
            lambda a: (
                a.action_type in SCHEDULED_CHANNELS and a.state in ("proposed", "done")
            )
        )
        if not actions:
            return
        now = fields.Datetime.now()
        Partner = self.env["res.partner"]
        changes = {}  # {values: actions}, written together
        for company, group in actions.grouped("company_id").items():
            verdicts = group.partner_id._ar_contact_verdicts(
                company,
                sorted(set(SCHEDULED_CHANNELS.values())),
                now,
                exclude_action_ids=actions.ids,
            )
            for action in group:
                verdict = verdicts[action.partner_id.id][
                    SCHEDULED_CHANNELS[action.action_type]
                ]
                if verdict.allowed:
                    continue
                reason = Partner._ar_contact_reason(verdict)
                if action.action_type == "sms":
                    values = (
                        ("state", "cancelled"),
                        ("note", self.env._("No SMS sent: %(reason)s", reason=reason)),
                    )
                elif verdict.reason == rules_engine.REASON_NO_PHONE:
                    values = (
                        ("state", "cancelled"),
                        (
                            "note",
                            self.env._("No call planned: %(reason)s", reason=reason),
                        ),
                    )
                else:
                    values = (
                        ("date_not_before", verdict.next_allowed_utc),
                        ("note", reason),
                    )
                changes.setdefault(values, self.browse())
                changes[values] |= action
        for values, group in changes.items():
            group.write(dict(values))

    def _ar_call_date(self):
        """The day a call is due: the day of the customer's contact window
        when the rules put it later (its own day), else the action's."""
        self.ensure_one()
        if not self.date_not_before:
            return self.date
        partner = self.partner_id
        tz = partner.tz or self.company_id.partner_id.tz or "UTC"
        local = rules_engine.to_local(self.date_not_before, tz).date()
        return max(local, self.date)
