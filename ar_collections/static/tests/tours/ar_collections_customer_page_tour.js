import {registry} from "@web/core/registry";

/**
 * A customer opens the link of a reminder email (no login), promises to pay
 * one invoice, disputes another, asks for a payment plan on the third, then
 * pays them all with Odoo's demo provider and lands back on the page.
 * tests/test_customer_page_payment.py sends the email and checks the records.
 * Invoices are listed oldest due first: A (40 days), C (20 days), B (10 days).
 */
function inDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

function confirmed() {
  return [{content: "Confirmation shown", trigger: "#ar_page_message"}];
}

registry.category("web_tour.tours").add("ar_collections_customer_page_tour", {
  steps: () => [
    {
      content: "The page lists the overdue invoices, ticked",
      trigger:
        "#ar_open_invoices tr.table-warning:eq(2) input[name=invoice_ids]:checked",
    },
    // Promise to pay invoice B.
    {trigger: "#ar_answer_promise summary", run: "click"},
    {trigger: "#ar_answer_promise input[name=move_ids]:eq(0)", run: "click"},
    {trigger: "#ar_answer_promise input[name=move_ids]:eq(1)", run: "click"},
    {
      trigger: "#ar_promise_date",
      run(helpers) {
        helpers.anchor.value = inDays(10);
      },
    },
    {trigger: "#ar_promise_amount", run: "edit 200"},
    {trigger: "#ar_promise_submit", run: "click", expectUnloadPage: true},
    ...confirmed(),
    {trigger: "#ar_promises"},
    // Dispute invoice A (the first one offered).
    {trigger: "#ar_answer_dispute summary", run: "click"},
    {trigger: "#ar_dispute_amount", run: "edit 50"},
    {trigger: "#ar_dispute_message", run: "edit We were quoted less"},
    {trigger: "#ar_dispute_submit", run: "click", expectUnloadPage: true},
    ...confirmed(),
    {trigger: "#ar_disputes"},
    // A payment plan for invoice C: preview, then sign.
    {trigger: "#ar_answer_plan summary", run: "click"},
    {trigger: "#ar_answer_plan input[name=move_ids]:eq(0)", run: "click"},
    {trigger: "#ar_answer_plan input[name=move_ids]:eq(2)", run: "click"},
    {trigger: "#ar_plan_installments", run: "edit 2"},
    {trigger: "#ar_plan_preview_submit", run: "click", expectUnloadPage: true},
    {trigger: "#ar_plan_preview tbody tr:eq(1)"},
    {trigger: "#ar_signer_name", run: "edit Tour Signer"},
    {trigger: "#ar_plan_accept", run: "click", expectUnloadPage: true},
    ...confirmed(),
    {trigger: "#ar_plans .o_ar_plan_agreement"},
    // Pay everything with the demo provider.
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
    ...confirmed(),
    {
      trigger: "#ar_customer_page:contains(Nothing is left to pay)",
    },
  ],
});
