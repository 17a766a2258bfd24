/**
 * Exact ridge regression.
 */
package io.foresail.models.linear;
