/**
 * The bar store: Parquet files per symbol plus a manifest with a content hash, written canonically
 * so the same rows give the same bytes in any process.
 */
package io.foresail.data.store;
