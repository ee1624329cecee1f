from dataclasses import dataclass
from datetime import timedelta

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools.misc import format_date

from ..engine import contact_rules as rules_engine
from ..engine.contact_rules import Verdict
from .ar_followup_policy_contact import format_hour

# History entries that are a contact with the customer, and their channel.
# A planned call is not one (the call logged is); "sms" comes with the SMS
# addon and counts as soon as the history knows it.
CONTACT_ACTION_TYPES = {
    "email": rules_engine.EMAIL,
    "letter": rules_engine.LETTER,
    "call_log": rules_engine.CALL,
    "sms": rules_engine.SMS,
}


@dataclass(frozen=True)
class ContactVerdict:
    """The engine's verdict with what its sentence names: the customer (a
    commercial partner), its time zone and the policy."""

    verdict: Verdict
    partner: models.BaseModel
    tz: str
    policy: models.BaseModel

    @property
    def allowed(self):
        return self.verdict.allowed

    @property
    def reason(self):
        return self.verdict.reason

    @property
    def held_by_cap(self):
        return self.verdict.reason in rules_engine.CAP_REASONS

    @property
    def next_allowed_utc(self):
        """The next allowed moment as Odoo stores datetimes (naive UTC)."""
        if not self.verdict.next_allowed:
            return None
        return rules_engine.to_utc(self.verdict.next_allowed, self.tz)

    @property
    def next_allowed_date(self):
        """The customer's day of the next allowed moment."""
        return self.verdict.next_allowed and self.verdict.next_allowed.date()


class ResPartner(models.Model):
    """Contact rules on the customer's side: its opt-out, its time zone, its
    recent contacts, and the one question every channel asks:
    :meth:`_ar_contact_check`."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    ar_no_phone = fields.Boolean(
        "Do not call or text",
        help="The customer asked not to be contacted by phone: the daily run "
        "plans no call and sends no text message, and the worklist does not "
        "list it to call.",
    )

    def _ar_contact_check(self, channel, when=None, company=None):
        """May this customer be contacted by ``channel`` at ``when``?

        ``channel``: "email", "letter", "call" or "sms"; ``when``: a naive
        UTC datetime (default: now); ``company``: whose policy and history
        (default: the current company). Returns None when it may, else a
        sentence in the user's language naming the rule that holds the
        contact back and from when it is allowed again. Every channel asks
        this before contacting a customer.
        """
        self.ensure_one()
        company = company or self.env.company
        verdict = self._ar_contact_verdicts(company, [channel], when)[self.id][channel]
        return None if verdict.allowed else self._ar_contact_reason(verdict)

    def _ar_contact_verdicts(
        self, company, channels, when=None, caps=True, exclude_action_ids=()
    ):
        """{partner id: {channel: ContactVerdict}} for these partners at ``when``.

        For a whole batch: one read of the policies, one of the public
        holidays and one grouped count of the history, whatever the number
        of customers. ``caps=False`` leaves the limits out;
        ``exclude_action_ids``: history entries not to count (the contacts
        being carried out, already recorded).
        """
        when = when or fields.Datetime.now()
        partners = self.with_company(company)
        commercials = partners.commercial_partner_id
        commercials.fetch(["ar_policy_id", "ar_no_phone", "is_company", "tz"])
        default_policy = self.env["ar.followup.policy"]._get_company_default(company)

        def policy_of(commercial):
            policy = commercial.ar_policy_id
            return policy if policy.active else default_policy

        policies = default_policy.browse(
            {policy_of(c).id for c in commercials} - {False}
        )
        # The history and the holidays are read only when a policy uses them.
        holidays = (
            self._ar_public_holidays(company, when)
            if any(policies.mapped("contact_skip_holidays"))
            else frozenset()
        )
        history = (
            self._ar_contact_history(company, commercials, when, exclude_action_ids)
            if caps and any(policies.mapped("contact_limit"))
            else {}
        )
        result = {}
        for partner in partners:
            commercial = partner.commercial_partner_id
            policy = policy_of(commercial)
            rules = policy._contact_rules(
                consumer=not commercial.is_company,
                no_phone=commercial.ar_no_phone,
                holidays=holidays,
            )
            tz = partner.tz or commercial.tz or company.partner_id.tz or "UTC"
            local = rules_engine.to_local(when, tz)
            result[partner.id] = {
                channel: ContactVerdict(
                    rules_engine.check_contact(
                        channel, local, rules, history.get(commercial.id), caps=caps
                    ),
                    commercial,
                    tz,
                    policy,
                )
                for channel in channels
            }
        return result

    def _ar_contact_history(self, company, partners, when, exclude_action_ids=()):
        """{partner id: {channel: {day: contacts}}} of the last 7 days and
        more (the customers' days may be a day off the company's): one
        grouped read."""
        Action = self.env["ar.followup.action"].sudo()
        types = [
            action_type
            for action_type in CONTACT_ACTION_TYPES
            if action_type in Action._action_type_labels()
        ]
        domain = Domain(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("action_type", "in", types),
                ("state", "=", "done"),
                ("date", ">=", when.date() - timedelta(days=rules_engine.CAP_DAYS)),
            ]
        )
        if exclude_action_ids:
            domain &= Domain("id", "not in", list(exclude_action_ids))
        result = {}
        for partner, action_type, day, count in Action._read_group(
            domain, ["partner_id", "action_type", "date:day"], ["__count"]
        ):
            per_channel = result.setdefault(partner.id, {})
            per_day = per_channel.setdefault(CONTACT_ACTION_TYPES[action_type], {})
            per_day[day] = per_day.get(day, 0) + count
        return result

    def _ar_public_holidays(self, company, when):
        """The company's public holidays around ``when``, as dates.

        Odoo's own: the time off of the company's working schedule (or of
        none) without a resource, read in the schedule's time zone.
        """
        Leave = self.env["resource.calendar.leaves"].sudo()
        calendar = company.resource_calendar_id
        leaves = Leave.search_fetch(
            [
                ("company_id", "=", company.id),
                ("resource_id", "=", False),
                ("calendar_id", "in", [False, *calendar.ids]),
                ("date_to", ">=", when - timedelta(days=1)),
                (
                    "date_from",
                    "<=",
                    when + timedelta(days=rules_engine.HORIZON_DAYS),
                ),
            ],
            ["date_from", "date_to"],
        )
        tz = calendar.tz or company.partner_id.tz or "UTC"
        days = set()
        for leave in leaves:
            first = rules_engine.to_local(leave.date_from, tz).date()
            last = rules_engine.to_local(leave.date_to, tz).date()
            days.update(
                first + timedelta(days=n) for n in range((last - first).days + 1)
            )
        return frozenset(days)

    def _ar_contact_reason(self, verdict):
        """``verdict`` (a ContactVerdict not allowed) as a sentence."""
        policy = verdict.policy.name or ""
        if verdict.reason == rules_engine.REASON_NO_PHONE:
            return self.env._(
                "The customer asked not to be called or texted (“Do not call or "
                "text” on its Collections tab)."
            )
        moment = self._ar_contact_moment(verdict)
        if verdict.reason == rules_engine.REASON_CONTACT_CAP:
            return self.env._(
                "%(count)s contacts in the last 7 days, and the policy "
                "“%(policy)s” allows %(cap)s: next contact allowed from "
                "%(moment)s.",
                count=verdict.verdict.count,
                cap=verdict.verdict.cap,
                policy=policy,
                moment=moment,
            )
        if verdict.reason == rules_engine.REASON_CALL_CAP:
            return self.env._(
                "%(count)s call attempts in the last 7 days, and the policy "
                "“%(policy)s” allows %(cap)s: next call allowed from %(moment)s.",
                count=verdict.verdict.count,
                cap=verdict.verdict.cap,
                policy=policy,
                moment=moment,
            )
        if verdict.reason == rules_engine.REASON_WEEKEND:
            return self.env._(
                "No contact on weekends (policy “%(policy)s”): contact allowed "
                "from %(moment)s.",
                policy=policy,
                moment=moment,
            )
        if verdict.reason == rules_engine.REASON_HOLIDAY:
            return self.env._(
                "No contact on public holidays (policy “%(policy)s”): contact "
                "allowed from %(moment)s.",
                policy=policy,
                moment=moment,
            )
        hour_from, hour_to = self._ar_contact_hours(verdict)
        return self.env._(
            "Outside the customer's contact hours (%(hour_from)s to %(hour_to)s "
            "its time, policy “%(policy)s”): contact allowed from %(moment)s.",
            hour_from=hour_from,
            hour_to=hour_to,
            policy=policy,
            moment=moment,
        )

    def _ar_contact_moment(self, verdict):
        """The next allowed moment in the customer's time, with its zone."""
        local = verdict.verdict.next_allowed
        if not local:
            return self.env._("no day in the coming year")
        return self.env._(
            "%(date)s %(time)s (%(tz)s)",
            date=format_date(self.env, local.date()),
            time=local.strftime("%H:%M"),
            tz=verdict.tz,
        )

    def _ar_contact_hours(self, verdict):
        prefix = "contact" if verdict.partner.is_company else "consumer"
        policy = verdict.policy
        return (
            format_hour(policy[f"{prefix}_hour_from"]),
            format_hour(policy[f"{prefix}_hour_to"]),
        )
