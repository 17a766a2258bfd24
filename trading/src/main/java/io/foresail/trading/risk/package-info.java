/**
 * Risk: each rule a small {@code RiskRule} (volatility target on a shrunk realised covariance,
 * fractional Kelly from the model's IC, name and sector caps, gross and net limits, the drawdown
 * ladder, the daily loss limit) acting on target weights and explaining itself as
 * {@code RiskEvent}s, and the operator's {@code KillSwitch}, which overrides them all.
 */
package io.foresail.trading.risk;
