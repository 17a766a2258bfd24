package io.foresail.data.validate;

import io.foresail.core.market.Bar;
import java.util.List;

/** A row the validator refused, with every rule it broke and a readable reason. */
public record QuarantinedRow(Bar bar, int rowIndex, List<Rule> rules, String reason) {
}
