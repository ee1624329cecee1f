import { registry } from "@web/core/registry";

/**
 * A collector sets up a two-installment payment plan from the customer's
 * Collections tab, checks the schedule the wizard previews, creates the plan
 * and records that the customer accepted it. tests/test_tours.py prepares the
 * overdue invoice and checks the plan in the database.
 */
registry.category("web_tour.tours").add("ar_collections_plan_tour", {
    steps: () => [
        {
            content: "Open the customer's Collections tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains(Collections)",
            run: "click",
        },
        {
            content: "Set up a payment plan",
            trigger: ".o_form_view button:contains(Payment plan)",
            run: "click",
        },
        {
            trigger: ".modal div[name=installment_count] input",
            run: "edit 2",
        },
        {
            content: "Leave the field so the schedule is recomputed",
            trigger: ".modal .modal-title",
            run: "click",
        },
        {
            content: "The wizard previews two installments",
            trigger: ".modal div[name=schedule_preview] table tbody tr:nth-child(2):not(:has(~ tr))",
        },
        {
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The plan is a draft waiting for the customer",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_accept]",
            run: "click",
        },
        {
            content: "Accepted: the button is gone and the schedule is listed",
            trigger: ".o_form_view:not(:has(button[name=action_accept])) div[name=installment_ids] .o_data_row:nth-child(2)",
        },
    ],
});
