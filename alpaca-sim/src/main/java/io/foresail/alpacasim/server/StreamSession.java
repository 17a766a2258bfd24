package io.foresail.alpacasim.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.foresail.alpaca.wire.AlpacaJson;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One WebSocket connection to a stream: parses each client message (text or binary frames,
 * fragments already joined) as JSON and hands it to {@link #onMessage}; answers pings; closes on
 * a close frame. Subclasses speak the stream's protocol. Messages are handled on the channel's
 * event loop, one at a time.
 */
abstract class StreamSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    static final Object HANDSHAKE_DONE = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

    protected final SimServer server;
    private final WebSocketServerHandshaker handshaker;
    protected volatile Channel channel;
    /** Whether the client asked for MessagePack ({@code Content-Type: application/msgpack}). */
    protected final boolean msgpack;

    StreamSession(SimServer server, WebSocketServerHandshaker handshaker, boolean msgpack) {
        this.server = server;
        this.handshaker = handshaker;
        this.msgpack = msgpack;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == HANDSHAKE_DONE) {
            onOpen();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof CloseWebSocketFrame close) {
            handshaker.close(ctx.channel(), close.retain());
            return;
        }
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            return;
        }
        if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
            return;
        }
        JsonNode message;
        try {
            byte[] bytes = ByteBufUtil.getBytes(frame.content());
            message = msgpack && frame instanceof BinaryWebSocketFrame ? Msgpack.decode(bytes)
                    : AlpacaJson.MAPPER.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            onInvalid();
            return;
        }
        onMessage(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onClose();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("stream connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** The handshake is done: greet the client if the protocol says so. */
    protected abstract void onOpen();

    protected abstract void onMessage(JsonNode message);

    /** A message that is not JSON. */
    protected abstract void onInvalid();

    protected abstract void onClose();

    /** Sends {@code message} as JSON in a text frame, or as MessagePack in a binary frame if the client asked for it. */
    protected void sendText(Object message) {
        channel.writeAndFlush(frame(message, false));
    }

    private WebSocketFrame frame(Object message, boolean binaryJson) {
        if (msgpack) {
            return new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(Msgpack.encode(message)));
        }
        return binaryJson ? new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(AlpacaJson.writeBytes(message)))
                : new TextWebSocketFrame(AlpacaJson.write(message));
    }

    protected void sendBinary(Object message) {
        channel.writeAndFlush(new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(AlpacaJson.writeBytes(message))));
    }

    /** Sends a close frame after {@code last} and closes. */
    protected void closeAfter(Object last, boolean binary) {
        channel.writeAndFlush(frame(last, binary)).addListener(x -> channel.writeAndFlush(new CloseWebSocketFrame())
                .addListener(y -> channel.close()));
    }

    /** Ends the connection as a fault: a clean close (close frame) or an abrupt reset (RST, no close frame). */
    void drop(boolean reset) {
        server.simulator().ledger().fault(reset ? "stream_reset" : "stream_closed");
        if (reset) {
            channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            channel.close();
        } else {
            channel.writeAndFlush(new CloseWebSocketFrame(1001, "going away")).addListener(x -> channel.close());
        }
    }

    protected static boolean credentialsMatch(SimServerConfig config, String key, String secret) {
        return config.keyId().equals(key) && secret != null && java.security.MessageDigest.isEqual(
                secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                config.secretKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
