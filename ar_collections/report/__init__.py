from . import ar_aging_report
from . import ar_dso_report
from . import ar_effectiveness_report
from . import ar_reason_report
