package io.foresail.alpaca.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A tradable instrument ({@code GET /v2/assets}); {@code class} is "us_equity" for stocks;
 * {@code maintenanceMarginRequirement} in percent, a JSON number.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlpacaAsset(String id, @JsonProperty("class") String assetClass, String exchange, String symbol,
                          String name, String status, boolean tradable, boolean marginable, boolean shortable,
                          boolean easyToBorrow, boolean fractionable, String borrowStatus,
                          Integer maintenanceMarginRequirement, List<String> attributes) {
}
