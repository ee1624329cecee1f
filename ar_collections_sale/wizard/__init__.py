from . import ar_sale_hold_confirm
