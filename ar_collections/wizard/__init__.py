from . import ar_followup_preview
from . import ar_followup_send
from . import ar_followup_log_call
from . import ar_followup_exclude
from . import ar_followup_snooze
from . import ar_fee_waive
from . import ar_promise_record
from . import ar_payment_plan_create
