from . import res_company
from . import res_config_settings
from . import ar_followup_run_job
from . import ar_followup_run
from . import ar_followup_action
