import { registry } from "@web/core/registry";

/**
 * A collector opens the customers to follow up, opens a customer, logs a call
 * ("Promised to pay") from the Collections tab and finds it in the history.
 * The Python test (tests/test_tours.py) prepares the customer "Tour Customer"
 * with an overdue invoice and checks the call in the database afterwards.
 */
registry.category("web_tour.tours").add("ar_collections_collector_tour", {
    url: "/odoo/action-ar_collections.ar_followup_customer_action",
    steps: () => [
        {
            content: "The list of customers to follow up shows the overdue customer",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "The row opens the customer's form: go to its Collections tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=ar_collections]",
            run: "click",
        },
        {
            content: "The tab shows the customer's overdue total",
            trigger: ".o_notebook .tab-pane.active div[name=ar_amount_overdue]",
        },
        {
            content: "Log a call",
            trigger: ".o_notebook .tab-pane.active button:contains(Log call)",
            run: "click",
        },
        {
            content: "The wizard is opened for the customer",
            trigger: ".modal .o_form_view div[name=partner_id] input:value(Tour Customer)",
        },
        {
            content: "Outcome: promised to pay",
            trigger: ".modal div[name=outcome] .o_radio_item:contains(Promised to pay) input[data-value=promised]",
            run: "click",
        },
        {
            trigger: ".modal div[name=outcome] input:checked[data-value=promised]",
        },
        {
            content: "Write what was agreed",
            trigger: ".modal div[name=note] textarea",
            run: "edit Will pay everything on Friday",
        },
        {
            content: "Log the call",
            trigger: ".modal-footer button[name=action_log]",
            run: "click",
        },
        {
            content: "The logged call opens",
            trigger: ".o_breadcrumb .active:contains(Call logged)",
        },
        {
            trigger: ".o_form_view div[name=outcome]:contains(Promised to pay)",
        },
        {
            content: "Back to the customer",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "Open the customer's follow-up history",
            trigger: ".o_form_view .oe_stat_button[name=action_ar_open_history]:contains(Follow-ups)",
            run: "click",
        },
        {
            content: "The history lists the call with its outcome",
            trigger: ".o_list_view .o_data_row:contains(Call logged):contains(Promised to pay):contains(Tour Customer)",
        },
    ],
});
