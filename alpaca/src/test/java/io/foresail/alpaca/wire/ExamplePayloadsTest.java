package io.foresail.alpaca.wire;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alpaca's own example payloads parse into our records and come back out with the same content. */
class ExamplePayloadsTest {

    private static JsonNode example(String name) throws IOException {
        try (InputStream in = ExamplePayloadsTest.class.getResourceAsStream("/alpaca-examples/" + name)) {
            assertThat(in).as(name).isNotNull();
            return AlpacaJson.MAPPER.readTree(in);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "account.json, io.foresail.alpaca.wire.AlpacaAccount",
            "asset.json, io.foresail.alpaca.wire.AlpacaAsset",
            "clock.json, io.foresail.alpaca.wire.AlpacaClock",
            "order_equity.json, io.foresail.alpaca.wire.AlpacaOrder",
            "position.json, io.foresail.alpaca.wire.AlpacaPosition",
            "trade_updates_fill.json, io.foresail.alpaca.wire.TradeUpdate",
            "bars_multi_page.json, io.foresail.alpaca.wire.BarsPage",
            "bars_single_page.json, io.foresail.alpaca.wire.SymbolBarsPage",
    })
    void everyExampleRoundTripsWithTheSameContent(String file, Class<?> type) throws IOException {
        JsonNode original = example(file);
        Object parsed = AlpacaJson.MAPPER.treeToValue(original, type);
        String written = AlpacaJson.write(parsed);
        assertThat(AlpacaJson.MAPPER.readValue(written, type)).as(file).isEqualTo(parsed);
        assertSameContent(file, original, AlpacaJson.MAPPER.readTree(written));
    }

    @Test
    void theStreamBarAndTheCloseAllItemParseToo() throws IOException {
        List<AlpacaBar> bars = AlpacaJson.MAPPER.convertValue(example("md_stream_bar.json"), new TypeReference<>() { });
        assertThat(bars).singleElement().satisfies(b -> {
            assertThat(b.type()).isEqualTo("b");
            assertThat(b.symbol()).isEqualTo("SPY");
            assertThat(b.t()).isEqualTo(Instant.parse("2021-02-22T19:15:00Z"));
            assertThat(b.vw()).isEqualTo(389.062639);
            assertThat(b.n()).isEqualTo(461);
        });
        assertSameContent("md_stream_bar.json", example("md_stream_bar.json"),
                AlpacaJson.MAPPER.readTree(AlpacaJson.write(bars)));
        JsonNode item = example("close_all_positions_item.json");
        AlpacaOrder body = AlpacaJson.MAPPER.treeToValue(item.get("body"), AlpacaOrder.class);
        assertThat(body.side()).isEqualTo(AlpacaSide.SELL);
        assertThat(body.qty()).isEqualByComparingTo("2");
        assertThat(body.status()).isEqualTo(AlpacaOrderStatus.ACCEPTED);
        PositionCloseStatus status = new PositionCloseStatus(item.get("symbol").asText(), item.get("status").asInt(), body);
        assertSameContent("close_all_positions_item.json", item, AlpacaJson.MAPPER.readTree(AlpacaJson.write(status)));
    }

    @Test
    void decimalsAreWrittenAsStringsAndReadFromNumbersOrStrings() throws IOException {
        CreateOrder fromSdk = AlpacaJson.MAPPER.readValue(
                "{\"symbol\":\"AAPL\",\"qty\":1.0,\"side\":\"buy\",\"type\":\"limit\",\"time_in_force\":\"day\","
                        + "\"limit_price\":\"150.25\"}", CreateOrder.class);
        assertThat(fromSdk.qty()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(fromSdk.limitPrice()).isEqualByComparingTo("150.25");
        JsonNode account = AlpacaJson.MAPPER.readTree(AlpacaJson.write(
                AlpacaJson.MAPPER.treeToValue(example("account.json"), AlpacaAccount.class)));
        assertThat(account.get("cash").isTextual()).isTrue();
        assertThat(account.get("last_equity").asText()).isEqualTo("122011.09751111286868");
    }

    @Test
    void aWrongTypeAnUnknownFieldOrAnUnknownEnumValueIsRefused() {
        assertThatThrownBy(() -> AlpacaJson.MAPPER.readValue("{\"symbol\":\"AAPL\",\"qty\":\"1\",\"colour\":\"red\"}",
                CreateOrder.class)).hasMessageContaining("colour");
        assertThatThrownBy(() -> AlpacaJson.MAPPER.readValue("{\"symbol\":5}", CreateOrder.class))
                .hasMessageContaining("symbol");
        assertThatThrownBy(() -> AlpacaJson.MAPPER.readValue("{\"side\":\"long\"}", CreateOrder.class))
                .hasMessageContaining("long");
        assertThatThrownBy(() -> AlpacaJson.MAPPER.readValue("{\"side\":1}", CreateOrder.class))
                .hasMessageContaining("side");
        assertThatThrownBy(() -> AlpacaJson.MAPPER.readValue("{\"qty\":\"many\"}", CreateOrder.class))
                .hasMessageContaining("qty");
    }

    /**
     * Every field of {@code original} is in {@code written} with the same value; timestamps compare
     * as instants (we write UTC, Alpaca sometimes New York time), decimals and numbers by value.
     * Fields we write beyond the example must be null (Alpaca lists absent optional fields as null).
     */
    private static void assertSameContent(String where, JsonNode original, JsonNode written) {
        if (original.isObject()) {
            assertThat(written.isObject()).as(where).isTrue();
            Iterator<Map.Entry<String, JsonNode>> it = original.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                assertThat(written.has(e.getKey())).as(where + "." + e.getKey()).isTrue();
                assertSameContent(where + "." + e.getKey(), e.getValue(), written.get(e.getKey()));
            }
            ((ObjectNode) written).fieldNames().forEachRemaining(name -> {
                if (!original.has(name)) {
                    assertThat(written.get(name).isNull()).as(where + "." + name + " (not in the example)").isTrue();
                }
            });
        } else if (original.isArray()) {
            assertThat(written.size()).as(where).isEqualTo(original.size());
            for (int i = 0; i < original.size(); i++) {
                assertSameContent(where + "[" + i + "]", original.get(i), written.get(i));
            }
        } else if (original.isNumber()) {
            assertThat(written.decimalValue()).as(where).isEqualByComparingTo(original.decimalValue());
        } else if (original.isTextual() && written.isTextual() && instant(original.asText()) != null) {
            assertThat(instant(written.asText())).as(where).isEqualTo(instant(original.asText()));
        } else if (original.isTextual() && written.isTextual() && decimal(original.asText()) != null) {
            assertThat(decimal(written.asText())).as(where).isEqualByComparingTo(decimal(original.asText()));
        } else {
            assertThat(written).as(where).isEqualTo(original);
        }
    }

    private static Instant instant(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
