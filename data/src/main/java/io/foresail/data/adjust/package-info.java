/**
 * Corporate actions and split adjustment of raw bars.
 */
package io.foresail.data.adjust;
