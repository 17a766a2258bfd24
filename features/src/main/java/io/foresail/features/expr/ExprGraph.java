package io.foresail.features.expr;

import io.foresail.features.kernel.BarInput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The expressions of one symbol compiled into one graph: every distinct sub-expression (by
 * {@link Expr#key()}) becomes one {@link Node} with one slot, evaluated once per bar in dependency
 * order, however many features read it. {@code Ref($close,1)}, {@code Mean($close,20)} or an ATR
 * shared by a dozen features cost one evaluation, and rolling statistics over the same window
 * (mean, deviation, slope of the same series) share one running state.
 *
 * <p>Sharing changes no value: each node is a deterministic function of the bars it has seen, so
 * the shared node yields the bits the feature's own copy would. Build it (add outputs), then
 * {@link #advance} once per bar. Not thread-safe: one graph per symbol.
 */
public final class ExprGraph {
    private final Map<String, Integer> slots = new HashMap<>();
    private final List<Node> building = new ArrayList<>();
    private Node[] nodes;
    private double[] values;
    private int bars;

    /** Adds {@code expr} as an output and returns the slot to read it by with {@link #value}. */
    public int output(Expr expr) {
        if (nodes != null) {
            throw new IllegalStateException("the graph has started; add every output before the first bar");
        }
        return slot(expr);
    }

    /** The slot of {@code expr}, compiling it (and its operands first) unless an equal one is there. */
    public int slot(Expr expr) {
        return slot(expr.key(), () -> expr.compile(this));
    }

    /** The slot of the node under {@code key}, made by {@code compile} when absent. */
    int slot(String key, Supplier<Node> compile) {
        Integer at = slots.get(key);
        if (at != null) {
            return at;
        }
        Node node = compile.get();
        building.add(node);
        int slot = building.size() - 1;
        slots.put(key, slot);
        return slot;
    }

    /** The node in {@code slot}, for operators that read a shared running state. */
    Node node(int slot) {
        return building.get(slot);
    }

    /** Distinct nodes evaluated per bar. */
    public int size() {
        return building.size();
    }

    /** Evaluates every node on the next bar of the symbol. */
    public void advance(BarInput bar) {
        Node[] n = nodes;
        if (n == null) {
            n = nodes = building.toArray(Node[]::new);
            values = new double[n.length];
        }
        double[] v = values;
        for (int i = 0; i < n.length; i++) {
            v[i] = n[i].next(bar, v);
        }
        bars++;
    }

    /** Bars advanced so far. */
    public int bars() {
        return bars;
    }

    /**
     * The value in {@code slot} at the last bar as a feature value: NaN before {@code warmUp} bars
     * have been seen, and NaN instead of any non-finite value.
     */
    public double value(int slot, int warmUp) {
        double v = values[slot];
        return bars < warmUp || !Double.isFinite(v) ? Double.NaN : v;
    }
}
