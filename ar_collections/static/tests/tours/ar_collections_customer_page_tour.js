import { registry } from "@web/core/registry";

/**
 * A customer opens the link of a reminder email (no login), sees the overdue
 * invoices, pays them with Odoo's demo provider and lands back on the page.
 * tests/test_customer_page_payment.py sends the email and checks the payment.
 */
registry.category("web_tour.tours").add("ar_collections_customer_page_tour", {
    steps: () => [
        {
            content: "The page lists the overdue invoices, ticked",
            trigger: "#ar_open_invoices tr.table-warning:eq(1) input[name=invoice_ids]:checked",
        },
        {
            content: "Pay now",
            trigger: "#ar_pay_now",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the demo provider",
            trigger: "input[name='o_payment_radio'][data-payment-method-code='demo']",
            run: "click",
        },
        {
            content: "Type test card details",
            trigger: "input#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the page: paid, nothing left",
            trigger: "#ar_page_message",
        },
        {
            trigger: "#ar_customer_page:contains(Nothing is left to pay)",
        },
    ],
});
