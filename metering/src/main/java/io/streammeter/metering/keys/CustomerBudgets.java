package io.streammeter.metering.keys;

import io.streammeter.avro.CustomerBudget;
import io.streammeter.schemas.Topic;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Customer budgets on the compacted {@code <prefix>customer-budgets} topic: one budget over all of
 * a customer's platform keys, checked at admission beside each key's own. Written by {@code
 * streammeter keys customer-budget} and the admin API through this one class, so both validate
 * alike ({@link KeyRecords#budgetMicros}, {@link KeyRecords#budgetPeriod}).
 */
public final class CustomerBudgets {
    private CustomerBudgets() {}

    /** The topic, by customer. */
    public static CompactedTopic<CustomerBudget> topic(
            Map<String, ?> kafka, Topic<String, CustomerBudget> topic, Duration timeout) {
        return new CompactedTopic<>(kafka, topic, CustomerBudget::getCustomer, timeout);
    }

    /**
     * A customer's budget.
     *
     * @throws InvalidKeyChange naming the field at fault
     */
    public static CustomerBudget of(
            String customer, BigDecimal budgetUsd, String period, Instant now) {
        if (customer == null || customer.isBlank() || customer.length() > 256) {
            throw new InvalidKeyChange("customer", "must be 1 to 256 characters");
        }
        if (budgetUsd == null) {
            throw new InvalidKeyChange("budget_usd", "is required");
        }
        return CustomerBudget.newBuilder()
                .setCustomer(customer)
                .setBudgetMicros(KeyRecords.budgetMicros(budgetUsd))
                .setBudgetPeriod(KeyRecords.budgetPeriod(period == null ? "month" : period))
                .setUpdatedAt(now)
                .build();
    }

    /** As the admin API shows it. */
    public static Map<String, Object> view(CustomerBudget budget) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("object", "customer_budget");
        view.put("customer", budget.getCustomer());
        view.put(
                "budget_usd",
                BigDecimal.valueOf(budget.getBudgetMicros(), 6)
                        .stripTrailingZeros()
                        .toPlainString());
        view.put("budget_period", budget.getBudgetPeriod());
        view.put("updated_at", budget.getUpdatedAt().toString());
        return view;
    }
}
