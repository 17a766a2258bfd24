/**
 * The trader's state: one SQLite database file ({@link io.foresail.livetrader.state.TraderState}),
 * the audit trail of what the trader decided, sent and was filled, and what it must know after a
 * restart to reconcile with the broker.
 */
package io.foresail.livetrader.state;
