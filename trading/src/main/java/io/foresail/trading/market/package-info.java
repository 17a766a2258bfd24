/** The {@code MarketData} port: closed bars of the whole universe, one {@code CrossSection} per bar. */
package io.foresail.trading.market;
