/**
 * Validation of bar stores: row and series rules, repair or quarantine, and the report of what was
 * found.
 */
package io.foresail.data.validate;
