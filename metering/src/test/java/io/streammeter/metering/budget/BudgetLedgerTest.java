package io.streammeter.metering.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streammeter.metering.budget.BudgetLedger.Kind;
import io.streammeter.metering.budget.BudgetLedger.Limit;
import io.streammeter.metering.budget.BudgetLedger.Refused;
import io.streammeter.metering.budget.BudgetLedger.Reserved;
import io.streammeter.metering.budget.BudgetLedger.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {
    static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");
    static final Limit KEY = new Limit(1000, BudgetPeriod.DAY);
    static final Limit CUSTOMER = new Limit(1500, BudgetPeriod.MONTH);
    static final Scope K = new Scope(Kind.KEY, "k_1");

    @Test
    void shouldAdmitOnlyWhileBilledPlusHeldPlusWorstFits() {
        BudgetLedger ledger = new BudgetLedger(true);
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(
                    Reserved.class, ledger.reserve("s" + i, "k_1", KEY, "c", CUSTOMER, 250, NOW));
        }
        Refused refused =
                assertInstanceOf(
                        Refused.class, ledger.reserve("s4", "k_1", KEY, "c", CUSTOMER, 1, NOW));
        assertEquals(K, refused.scope());
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), refused.resetsAt());

        // settling below the worst case frees the difference
        ledger.bill("s0", "k_1", KEY, "c", CUSTOMER, 100, NOW);
        assertEquals(150, ledger.standing(K, KEY, NOW).remainingMicros());
        assertInstanceOf(Reserved.class, ledger.reserve("s4", "k_1", KEY, "c", CUSTOMER, 150, NOW));
        assertInstanceOf(Refused.class, ledger.reserve("s5", "k_1", KEY, "c", CUSTOMER, 1, NOW));
    }

    @Test
    void shouldRefuseOnTheCustomerBudgetAcrossKeys() {
        BudgetLedger ledger = new BudgetLedger(true);
        ledger.reserve("a", "k_1", KEY, "c", CUSTOMER, 1000, NOW);
        Refused refused =
                assertInstanceOf(
                        Refused.class, ledger.reserve("b", "k_2", KEY, "c", CUSTOMER, 600, NOW));
        assertEquals(new Scope(Kind.CUSTOMER, "c"), refused.scope());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), refused.resetsAt());
    }

    @Test
    void shouldBeIdempotentForARetriedReservation() {
        BudgetLedger ledger = new BudgetLedger(true);
        ledger.reserve("a", "k_1", KEY, null, null, 600, NOW);
        assertInstanceOf(Reserved.class, ledger.reserve("a", "k_1", KEY, null, null, 600, NOW));
        assertEquals(600, ledger.standing(K, KEY, NOW).heldMicros());
    }

    @Test
    void shouldReleaseHoldsAfterTheTimeout() {
        BudgetLedger ledger = new BudgetLedger(true);
        ledger.reserve("a", "k_1", KEY, null, null, 1000, NOW);
        assertEquals(0, ledger.expire(NOW.plus(Duration.ofMinutes(15)), Duration.ofMinutes(15)));
        assertEquals(1, ledger.expire(NOW.plus(Duration.ofMinutes(16)), Duration.ofMinutes(15)));
        assertEquals(1000, ledger.standing(K, KEY, NOW).remainingMicros());
    }

    @Test
    void shouldCountBilledSpendInThePeriodOfTheLineItem() {
        BudgetLedger ledger = new BudgetLedger(true);
        ledger.bill("a", "k_1", KEY, null, null, 900, Instant.parse("2026-12-04T23:59:59Z"));
        assertEquals(0, ledger.standing(K, KEY, NOW).billedMicros(), "yesterday's spend");
        assertEquals(
                900,
                ledger.standing(K, new Limit(1000, BudgetPeriod.MONTH), NOW).billedMicros(),
                "same month");
    }

    @Test
    void shouldAlertAtEachThresholdOncePerPeriod() {
        BudgetLedger ledger = new BudgetLedger(true);
        List<BudgetLedger.Alert> first = ledger.bill("a", "k_1", KEY, null, null, 850, NOW);
        assertEquals(List.of(50, 80), first.stream().map(BudgetLedger.Alert::percent).toList());
        assertEquals("2026-12-05", first.get(0).periodId());
        assertEquals(
                List.of(100),
                ledger.bill("b", "k_1", KEY, null, null, 200, NOW).stream()
                        .map(BudgetLedger.Alert::percent)
                        .toList());
        assertEquals(List.of(), ledger.bill("c", "k_1", KEY, null, null, 200, NOW));
        assertEquals(
                3,
                ledger.bill("d", "k_1", KEY, null, null, 1000, NOW.plus(Duration.ofDays(1))).size(),
                "a new day alerts again");
    }

    @Test
    void shouldAdmitOnBilledAloneWithoutHolds() {
        BudgetLedger ledger = new BudgetLedger(false);
        for (int i = 0; i < 10; i++) {
            Reserved r =
                    assertInstanceOf(
                            Reserved.class,
                            ledger.reserve("s" + i, "k_1", KEY, null, null, 600, NOW));
            assertNull(r.hold());
        }
    }
}
