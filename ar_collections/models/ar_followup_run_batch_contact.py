from odoo import api, fields, models

from ..engine import contact_rules as rules_engine
from .level_actions import level_actions

# The level actions that contact the customer, and their channel.
LEVEL_CHANNELS = {
    "email": rules_engine.EMAIL,
    "letter": rules_engine.LETTER,
    "call": rules_engine.CALL,
    "sms": rules_engine.SMS,  # with the SMS glue addon
}


class ArFollowupRunBatch(models.AbstractModel):
    """The daily run (and its preview) within the policy's contact rules.

    A customer whose level would contact it after its contact limit was
    reached is held back whole: no level today, its invoices due again the
    day the limit allows. The contact window, the call limit and the
    customer's opt-out only move or drop a contact when it is carried out
    (``ar.followup.action._ar_schedule_contacts``); here they are put in
    words for the preview and the run's log.
    """

    # One file per job: the batch is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.run.batch"

    @api.model
    def _hold_by_contact_rules(self, decisions, company, now=None):
        """Hold back the customers at their contact limit; note the rest.

        One verdict computation for the batch (``res.partner.
        _ar_contact_verdicts``: a grouped count of the history).
        """
        channels_of = {}
        for customer in decisions:
            if not customer.moving:
                continue
            levels = self.env["ar.followup.level"].browse(
                {d.level_id for d in customer.moving}
            )
            channels = [
                LEVEL_CHANNELS[action_type]
                for action_type, flag in level_actions(self.env)
                if action_type in LEVEL_CHANNELS and levels.filtered(flag)
            ]
            if channels:
                channels_of[customer.partner.id] = channels
        if not channels_of:
            return
        partners = self.env["res.partner"].browse(channels_of)
        verdicts = partners._ar_contact_verdicts(
            company,
            sorted({c for channels in channels_of.values() for c in channels}),
            now or fields.Datetime.now(),
        )
        Partner = self.env["res.partner"]
        for customer in decisions:
            channels = channels_of.get(customer.partner.id, [])
            found = [verdicts[customer.partner.id][channel] for channel in channels]
            held = [v for v in found if v.reason == rules_engine.REASON_CONTACT_CAP]
            if held:
                customer.moving = []
                customer.contact_hold_until = held[0].next_allowed_date
                customer.contact_hold_reason = Partner._ar_contact_reason(held[0])
                continue
            for verdict in found:
                if not verdict.allowed:
                    customer.contact_notes.append(
                        (verdict, self._contact_note(verdict))
                    )

    @api.model
    def _contact_note(self, verdict):
        """What the rules do to a contact of today's level, in words."""
        reason = self.env["res.partner"]._ar_contact_reason(verdict)
        if verdict.reason == rules_engine.REASON_NO_PHONE:
            return self.env._("No call planned: %(reason)s", reason=reason)
        if verdict.verdict.channel == rules_engine.CALL:
            return self.env._("Call planned for a later day: %(reason)s", reason=reason)
        return self.env._(
            "Email held until the contact window opens: %(reason)s", reason=reason
        )

    def _log_contact_rules(self, decisions):
        """The run's log: each customer held back at its contact limit, and
        what the rules changed in the batch's contacts."""
        self.ensure_one()
        for customer in decisions:
            if customer.contact_hold_reason:
                self._log(
                    self.env._(
                        "%(partner)s: not contacted today. %(reason)s",
                        partner=customer.partner.display_name,
                        reason=customer.contact_hold_reason,
                    )
                )
        notes = [
            verdict
            for customer in decisions
            if customer.levels_reached
            for verdict, _text in customer.contact_notes
        ]
        if not notes:
            return
        no_call = sum(v.reason == rules_engine.REASON_NO_PHONE for v in notes)
        calls = sum(v.verdict.channel == rules_engine.CALL for v in notes) - no_call
        self._log(
            self.env._(
                "Contact rules: %(emails)s email(s) held until the customer's "
                "contact window opens, %(calls)s call(s) planned for a later day, "
                "%(no_call)s call(s) not planned (do not call or text).",
                emails=len(notes) - calls - no_call,
                calls=calls,
                no_call=no_call,
            )
        )
