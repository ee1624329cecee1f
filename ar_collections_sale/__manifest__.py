{
    "name": "AR Collections - Sales",
    "summary": "Quotations of a customer on credit hold are not confirmed "
    "without a collections manager",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "ar_collections developers",
    "website": "https://github.com/ar-collections/ar_collections",
    "depends": ["ar_collections", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "wizard/ar_sale_hold_confirm_views.xml",
        "views/sale_order_views.xml",
    ],
    "installable": True,
    "auto_install": True,
    "application": False,
}
