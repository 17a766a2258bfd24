package io.foresail.trading.risk;

/**
 * One risk rule acting on one decision: which rule, on which symbol ({@code null} for the whole
 * book), why, and the exposure before and after (a weight for a name, gross exposure for the book;
 * fractions of equity).
 */
public record RiskEvent(String rule, String symbol, String reason, double before, double after) {
}
