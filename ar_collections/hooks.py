def post_init_hook(env):
    """Every company existing at install gets the default follow-up policy
    and the statutory fee rules (companies created later get them too, see
    ``res.company._ar_setup_collections``)."""
    # pylint: disable-next=no-search-all
    env["res.company"].search([])._ar_setup_collections()
