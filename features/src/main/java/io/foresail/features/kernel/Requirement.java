package io.foresail.features.kernel;

/** Inputs beyond the symbol's own bars that a feature reads; the spec is checked against them before any work. */
public enum Requirement {
    /** The benchmark's bars (the universe's benchmark must be in the bar store). */
    BENCHMARK,
    /** The other members of the symbol's sector. Not allowed as a source of cross-sectional features. */
    SECTOR,
    /** An intraday timeframe (session slots are meaningless on daily bars). */
    INTRADAY
}
