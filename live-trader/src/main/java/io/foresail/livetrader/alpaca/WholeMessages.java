package io.foresail.livetrader.alpaca;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket listener for one connection of a stream client: joins text or binary fragments into
 * whole messages for {@link #message}, and reports the connection's end (close frame, error, a
 * failed send, or the client dropping it) to {@link #lost} exactly once, so a client never
 * schedules two reconnections for one loss, nor none. Sends are queued one after another: the JDK
 * refuses a send while another is pending, and a server may answer the first before it completes.
 */
abstract class WholeMessages implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private boolean ended;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    /** Handles one whole message (UTF-8 JSON); returns false to read no further (the client ends the connection). */
    protected abstract boolean message(WebSocket ws, byte[] json);

    /** The connection ended; called once. */
    protected abstract void lost(String why);

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8));
        return next(ws, last);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.writeBytes(b);
        return next(ws, last);
    }

    private CompletionStage<?> next(WebSocket ws, boolean last) {
        if (last) {
            byte[] whole = partial.toByteArray();
            partial.reset();
            if (!message(ws, whole)) {
                return null;
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        end("closed by the server (" + status + ")");
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        end("connection lost (" + error.getClass().getSimpleName() + ")");
    }

    /** Sends a whole text message after those before it; a failed send drops the connection (reported once). */
    final synchronized void send(WebSocket ws, String text) {
        sends = sends.thenCompose(x -> ws.sendText(text, true)).whenComplete((x, e) -> {
            if (e != null) {
                drop(ws, "a send failed (" + (e.getCause() != null ? e.getCause() : e).getClass().getSimpleName() + ")");
            }
        });
    }

    /**
     * Drops the connection from the client's side and reports it: {@code abort()} alone calls no
     * listener method, so without this a dropped connection would never be made again.
     */
    final void drop(WebSocket ws, String why) {
        ws.abort();
        end(why);
    }

    /** Ends the connection from the client's side with a reason (e.g. a 406), reported like a loss. */
    protected final void end(String why) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        lost(why);
    }
}
