/**
 * Importing vendor bar files (CSV and Parquet in known layouts, odd time zones and names) into a
 * bar store, with every refused row counted and named.
 */
package io.foresail.data.ingest;
