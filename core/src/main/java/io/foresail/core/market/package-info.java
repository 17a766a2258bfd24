/**
 * The market model: {@code Bar} (identified by its start, UTC), {@code Timeframe}, the NYSE {@code
 * TradingCalendar} with holidays and early closes, and {@code BarGrid}, the bar starts a calendar
 * allows.
 */
package io.foresail.core.market;
