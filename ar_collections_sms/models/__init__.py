from . import ar_followup_level
from . import ar_followup_action
from . import ar_followup_run
from . import res_partner
