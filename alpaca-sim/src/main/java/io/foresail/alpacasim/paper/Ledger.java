package io.foresail.alpacasim.paper;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.foresail.alpaca.wire.AlpacaOrder;
import io.foresail.alpaca.wire.FillActivity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ground truth of a simulator run: every order it ever accepted or rejected (as it stands now),
 * every execution, and how many times each fault fired. Chaos tests compare a client's view with
 * this. Guarded by the paper account's lock; {@link #snapshot} copies it.
 */
public final class Ledger {
    private final Map<String, AlpacaOrder> orders = new LinkedHashMap<>();
    private final List<FillActivity> fills = new ArrayList<>();
    private final Map<String, Long> faults = new TreeMap<>();

    synchronized void order(AlpacaOrder o) {
        orders.put(o.id(), o);
    }

    synchronized void fill(FillActivity f) {
        fills.add(f);
    }

    /** Counts one firing of fault {@code kind}. */
    public synchronized void fault(String kind) {
        faults.merge(kind, 1L, Long::sum);
    }

    List<FillActivity> fills() {
        return fills;
    }

    Map<String, AlpacaOrder> orders() {
        return orders;
    }

    /** A copy, as the control API serves it. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(orders.values()), List.copyOf(fills), Map.copyOf(faults));
    }

    /** Forgets everything (a reset of the simulator). */
    public synchronized void clear() {
        orders.clear();
        fills.clear();
        faults.clear();
    }

    /** The ledger at one moment. */
    public record Snapshot(@JsonProperty("orders") List<AlpacaOrder> orders, @JsonProperty("fills") List<FillActivity> fills,
                           @JsonProperty("faults") Map<String, Long> faults) {
    }
}
