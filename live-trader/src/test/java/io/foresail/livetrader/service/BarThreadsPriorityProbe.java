package io.foresail.livetrader.service;

/**
 * A child JVM's check of {@code bars.threads_nice} ({@link BarThreadsPriorityTest}): verifies the
 * nice value in its first argument and prints "granted", or the refusal's type and message and exits 3.
 */
public final class BarThreadsPriorityProbe {
    private BarThreadsPriorityProbe() {
    }

    public static void main(String[] args) {
        try {
            new BarThreadsPriority(Integer.parseInt(args[0])).verify();
            System.out.println("granted");
        } catch (RuntimeException e) {
            System.out.println("refused (" + e.getClass().getSimpleName() + "): " + e.getMessage());
            System.exit(3);
        }
    }
}
