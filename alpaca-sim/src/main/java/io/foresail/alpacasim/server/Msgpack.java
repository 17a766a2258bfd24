package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.AlpacaJson;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * The market data stream's MessagePack encoding, which clients ask for with
 * {@code Content-Type: application/msgpack} on the handshake (alpaca-py does): the same messages as
 * the JSON ones, with a bar's {@code t} as a MessagePack timestamp (extension type -1).
 */
final class Msgpack {
    private Msgpack() {
    }

    /** {@code message} (anything {@link AlpacaJson} writes) as MessagePack bytes. */
    static byte[] encode(Object message) {
        JsonNode tree = AlpacaJson.MAPPER.valueToTree(message);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            pack(p, tree, false);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client's MessagePack message as a JSON tree. */
    static JsonNode decode(byte[] bytes) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            return AlpacaJson.MAPPER.readTree(u.unpackValue().toJson());
        }
    }

    private static void pack(MessageBufferPacker p, JsonNode n, boolean timestamp) throws IOException {
        if (n.isObject()) {
            p.packMapHeader(n.size());
            boolean bar = n.has("T") && n.get("T").asText().length() == 1; // b, t, q: t is a timestamp
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                p.packString(e.getKey());
                pack(p, e.getValue(), bar && e.getKey().equals("t"));
            }
        } else if (n.isArray()) {
            p.packArrayHeader(n.size());
            for (JsonNode c : n) {
                pack(p, c, false);
            }
        } else if (n.isTextual()) {
            if (timestamp) {
                try {
                    p.packTimestamp(Instant.parse(n.asText()));
                    return;
                } catch (DateTimeParseException e) {
                    // not a timestamp after all: send the text
                }
            }
            p.packString(n.asText());
        } else if (n.isIntegralNumber()) {
            p.packLong(n.asLong());
        } else if (n.isNumber()) {
            p.packDouble(n.asDouble());
        } else if (n.isBoolean()) {
            p.packBoolean(n.asBoolean());
        } else {
            p.packNil();
        }
    }
}
