package io.foresail.data.validate;

import io.foresail.data.store.BarSeries;
import java.util.List;

/**
 * A validation run's report, the rows it accepted (per symbol, in order) and the rows it quarantined.
 * In strict mode the accepted series are still returned, for inspection.
 */
public record ValidationResult(ValidationReport report, List<BarSeries> accepted, List<QuarantinedRow> quarantined) {
}
