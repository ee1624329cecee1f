import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";

/**
 * The rows shown in ``list`` (a flat list, or the open groups of a grouped one).
 */
function shownRecords(list) {
    if (list.groups) {
        return list.groups.flatMap((group) => (group.isFolded ? [] : shownRecords(group.list)));
    }
    return list.records;
}

/**
 * Customers to follow up: a row opens the customer's form on its Collections
 * tab (the server's ``action_open_partner``) and the form's pager walks
 * through the customers of the list, in the list's order, so that a collector
 * steps from one customer to the next without going back to the list.
 */
export class ArFollowupCustomerListController extends ListController {
    async openRecord(record, { newWindow } = {}) {
        const action = await this.orm.call(
            this.props.resModel,
            "action_open_partner",
            [[record.resId]],
            { context: this.props.context }
        );
        const partnerIds = [];
        for (const row of shownRecords(this.model.root)) {
            const partnerId = row.data.partner_id?.id;
            if (partnerId && !partnerIds.includes(partnerId)) {
                partnerIds.push(partnerId);
            }
        }
        return this.actionService.doAction(action, {
            props: { resIds: partnerIds },
            newWindow,
        });
    }
}

registry.category("views").add("ar_followup_customer_list", {
    ...listView,
    Controller: ArFollowupCustomerListController,
});
