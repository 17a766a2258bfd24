/**
 * Alpaca over REST as clients need it: {@link io.foresail.alpaca.rest.AlpacaBarsClient}
 * (historical bars, every page, rate limits and retries) and
 * {@link io.foresail.alpaca.rest.AlpacaCredentials} (from the environment or a secret file,
 * never printed). Used by the importer (module {@code data}) and the live trader.
 */
package io.foresail.alpaca.rest;
