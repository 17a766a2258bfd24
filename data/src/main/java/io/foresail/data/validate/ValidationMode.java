package io.foresail.data.validate;

/**
 * {@link #STRICT}: any violation fails the run. {@link #REPAIR}: rows breaking a row rule are moved
 * to the quarantine file with their reasons and the rest is kept; series violations still fail.
 */
public enum ValidationMode { STRICT, REPAIR }
