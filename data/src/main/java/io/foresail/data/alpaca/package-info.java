/**
 * The Alpaca market-data REST client (historical bars, paging, rate limits; credentials from the
 * environment only) and the importer built on it.
 */
package io.foresail.data.alpaca;
