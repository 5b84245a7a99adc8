package io.streammeter.metering.keys;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What a create or a change of a platform key sets; a null field is left as it is. The CLI ({@code
 * streammeter keys create|set}) and the admin HTTP API ({@code POST|PATCH /v1/admin/keys}) both
 * build one and hand it to {@link KeyRecords}, so both validate the same way. Field names in error
 * messages are the JSON names of the admin API.
 *
 * @param customer the customer the key is for (required on create)
 * @param tags tags merged into the key's tags
 * @param upstreamCredential name of the relays' upstream credential; empty clears it
 * @param allowedModels exact model names or globs; empty for any model
 * @param budgetUsd budget per period in USD, at most 6 decimals
 * @param budgetPeriod {@code day}, {@code month} or {@code lifetime} ({@code month} when a budget
 *     is first set without one)
 * @param requestsPerMinute requests per minute
 * @param tokensPerMinute tokens per minute
 */
public record KeyChange(
        String customer,
        Map<String, String> tags,
        String upstreamCredential,
        List<String> allowedModels,
        BigDecimal budgetUsd,
        String budgetPeriod,
        Integer requestsPerMinute,
        Long tokensPerMinute) {

    /** Changes nothing. */
    public static final KeyChange NONE =
            new KeyChange(null, null, null, null, null, null, null, null);

    public KeyChange withCustomer(String customer) {
        return new KeyChange(
                customer,
                tags,
                upstreamCredential,
                allowedModels,
                budgetUsd,
                budgetPeriod,
                requestsPerMinute,
                tokensPerMinute);
    }
}
