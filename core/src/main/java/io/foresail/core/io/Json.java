package io.foresail.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The project's one JSON configuration: times as ISO-8601 text (never epoch numbers), unknown
 * properties refused on read. Writers come in two orders: as the object has them (reports), and
 * with map entries sorted by key (files that are hashed or compared byte for byte: manifests,
 * model cards, the feature-set spec behind an id).
 *
 * <p>The mappers are shared: use them, never reconfigure them; derive a reader or writer with
 * {@code readerFor(...).without(...)} where one file needs another rule.
 */
public final class Json {
    /** Reading, trees, compact writing; map entries in insertion order. */
    public static final ObjectMapper MAPPER = builder().build();
    /** The same with map entries sorted by key, also when converting to a tree ({@code valueToTree}). */
    public static final ObjectMapper SORTED = builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    /** Indented, map entries in insertion order: reports people read. */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    /** Indented, map entries sorted by key: files that are hashed or compared. */
    public static final ObjectWriter SORTED_PRETTY = SORTED.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    private static JsonMapper.Builder builder() {
        return JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
