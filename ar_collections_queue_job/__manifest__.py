{
    "name": "AR Collections on the job queue",
    "summary": "The daily follow-up run split into batch jobs on OCA's job queue, "
    "done by as many Odoo workers as the channel allows",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "ar_collections developers",
    "website": "https://github.com/ar-collections/ar_collections",
    "depends": ["ar_collections", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
        "security/ar_collections_queue_job_rules.xml",
        "data/queue_job_data.xml",
        "views/ar_followup_run_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "installable": True,
    "auto_install": True,
    "application": False,
}
