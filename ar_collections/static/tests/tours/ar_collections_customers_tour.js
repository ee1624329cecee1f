import { registry } from "@web/core/registry";

/**
 * Customers to follow up at 1440 px (tests/test_first_hour_screens.py): no
 * Company column in a one-company database, names in full, "Log call" on
 * screen, a badge for the open promise; a row opens the customer on its
 * Collections tab and the pager steps to the next customer of the list.
 */
registry.category("web_tour.tours").add("ar_collections_customers_tour", {
    steps: () => [
        {
            content: "The customer with an open promise shows it on its row",
            trigger:
                ".o_list_view .o_data_row:contains(Tour Beta Promised) td[name=commitment]:contains(Promise to pay)",
        },
        {
            content: "No Company column when working in one company",
            trigger: ".o_list_view thead:not(:has(th[data-name=company_id]))",
        },
        {
            content: "At 1440 px the name is not cut off and Log call is on screen",
            trigger:
                ".o_list_view .o_data_row td[name=partner_id]:contains(Tour Alpha Trading Company International)",
            run() {
                const cell = this.anchor;
                if (cell.scrollWidth > cell.clientWidth + 1) {
                    throw new Error(
                        `The name is cut off: ${cell.scrollWidth}px in ${cell.clientWidth}px`
                    );
                }
                const button = [...cell.closest(".o_data_row").querySelectorAll("button")].find(
                    (btn) => btn.textContent.includes("Log call")
                );
                const right = button.getBoundingClientRect().right;
                if (right > window.innerWidth) {
                    throw new Error(`Log call is off-screen: ${right}px > ${window.innerWidth}px`);
                }
            },
        },
        {
            content: "Open the first customer",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains(Tour Alpha)",
            run: "click",
        },
        {
            content: "The customer opens on its Collections tab",
            trigger: ".o_form_view .o_notebook a.nav-link.active[name=ar_collections]",
        },
        {
            trigger: ".o_breadcrumb .active:contains(Tour Alpha Trading Company International)",
        },
        {
            content: "The pager walks through the list's customers",
            trigger: ".o_pager_counter:has(.o_pager_value:contains(1)):has(.o_pager_limit:contains(2))",
        },
        {
            content: "Next customer",
            trigger: ".o_pager_next",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains(Tour Beta Promised)",
        },
        {
            content: "Still on the Collections tab",
            trigger: ".o_form_view .o_notebook a.nav-link.active[name=ar_collections]",
        },
    ],
});
