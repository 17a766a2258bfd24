package io.foresail.livetrader.service;

/**
 * A child JVM's check of the bar's threads' priority ({@link BarThreadsPriorityTest}): verifies the
 * priority its arguments name ({@code nice N} or {@code realtime N}) and prints "granted", or the
 * refusal's type and message and exits 3.
 */
public final class BarThreadsPriorityProbe {
    private BarThreadsPriorityProbe() {
    }

    public static void main(String[] args) {
        try {
            int value = Integer.parseInt(args[1]);
            (args[0].equals("realtime") ? BarThreadsPriority.realtime(value) : BarThreadsPriority.nice(value)).verify();
            System.out.println("granted");
        } catch (RuntimeException e) {
            System.out.println("refused (" + e.getClass().getSimpleName() + "): " + e.getMessage());
            System.exit(3);
        }
    }
}
