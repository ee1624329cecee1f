from . import ar_followup_send
