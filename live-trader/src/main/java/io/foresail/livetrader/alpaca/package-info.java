/**
 * The live trader's Alpaca adapters: {@link io.foresail.livetrader.alpaca.AlpacaBroker} (the
 * {@code Broker} port over Alpaca's Trading API and trade updates stream), its REST client, the
 * stream client, endpoints and credentials. Every URL is configurable (the simulator, paper, live);
 * credentials come only from the environment or a secret file and never reach a log line or an
 * exception.
 */
package io.foresail.livetrader.alpaca;
