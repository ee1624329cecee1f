import { registry } from "@web/core/registry";

/**
 * A collections manager creates a two-level policy, makes it the company
 * default, previews today's run and runs it. The Python test
 * (tests/test_tours.py) prepares an invoice 10 days overdue and checks the run
 * and the invoice's level in the database afterwards.
 */
function addLevel(name, delay, action) {
    return [
        {
            content: `Add the level "${name}"`,
            trigger: ".o_field_widget[name=level_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=level_ids] .o_selected_row div[name=name] input",
            run: `edit ${name}`,
        },
        {
            trigger: ".o_field_widget[name=level_ids] .o_selected_row div[name=delay] input",
            run: `edit ${delay}`,
        },
        {
            content: "No email (no template needed)",
            trigger: ".o_field_widget[name=level_ids] .o_selected_row div[name=send_email] input:not(:checked)",
        },
        {
            trigger: `.o_field_widget[name=level_ids] .o_selected_row div[name=${action}] input`,
            run: "click",
        },
        {
            trigger: `.o_field_widget[name=level_ids] .o_selected_row div[name=${action}] input:checked`,
        },
    ];
}

registry.category("web_tour.tours").add("ar_collections_manager_tour", {
    url: "/odoo/action-ar_collections.ar_followup_policy_action",
    steps: () => [
        {
            content: "Create a follow-up policy",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=name] input",
            run: "edit Tour policy",
        },
        {
            content: "Make it the company default",
            trigger: ".o_form_view div[name=is_default] input",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=is_default] input:checked",
        },
        ...addLevel("Tour reminder", 5, "schedule_call"),
        ...addLevel("Tour final notice", 20, "print_letter"),
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: both levels are listed",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name=level_ids] .o_data_row:contains(Tour final notice)",
        },
        {
            content: "Preview today's run",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_preview_run]",
            run: "click",
        },
        {
            content: "The preview puts the overdue invoice on the first level",
            trigger: ".o_form_view div[name=line_ids] .o_data_row:contains(Tour Debtor):contains(Tour reminder)",
        },
        {
            content: "Run now",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_run_now]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The run opens, done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=done]",
        },
        {
            content: "It planned one call",
            trigger: ".o_form_view .oe_stat_button:contains(Calls):contains(1)",
        },
        {
            trigger: ".o_form_view div[name=action_ids] .o_data_row:contains(Tour Debtor)",
        },
    ],
});
