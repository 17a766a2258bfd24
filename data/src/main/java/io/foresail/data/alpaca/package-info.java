/**
 * The Alpaca importer: historical bars fetched with the {@code alpaca} module's
 * {@link io.foresail.alpaca.rest.AlpacaBarsClient} (paging, rate limits, credentials from the
 * environment or a secret file) and written to a bar store.
 */
package io.foresail.data.alpaca;
