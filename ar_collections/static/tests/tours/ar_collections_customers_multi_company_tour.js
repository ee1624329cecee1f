import {registry} from "@web/core/registry";

/**
 * Customers to follow up for a user of several companies
 * (tests/test_first_hour_screens.py): the list renders, with its Company
 * column, instead of crashing on a column condition the web client cannot
 * evaluate.
 */
registry.category("web_tour.tours").add("ar_collections_customers_multi_company_tour", {
  steps: () => [
    {
      content: "The list shows the customers",
      trigger: ".o_list_view .o_data_row:contains(Tour Gamma Multi)",
    },
    {
      content: "A user of several companies sees the Company column",
      trigger: ".o_list_view thead th[data-name=company_id]",
    },
  ],
});
