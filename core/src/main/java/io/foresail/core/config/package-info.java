/**
 * Strict YAML configuration: unknown keys and wrong types are refused with the file and field
 * named.
 */
package io.foresail.core.config;
