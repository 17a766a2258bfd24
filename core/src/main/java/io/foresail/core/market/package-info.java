/**
 * The market model: {@code Bar} (identified by its start, UTC), {@code Timeframe}, the NYSE {@code
 * TradingCalendar} with holidays and early closes, and {@code BarGrid}, the bar starts a calendar
 * allows, and the {@code Clock} (system or replay) that says what time it is.
 */
package io.foresail.core.market;
