package io.pacq.net;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pacq.net.internal.Frames;
import io.pacq.proto.Envelope;
import io.pacq.proto.Hello;
import io.pacq.proto.ProtocolVersion;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A hand-driven peer on a plain socket, for tests that break the protocol on purpose. Writes
 * exactly the bytes it is told to; reads frames with a timeout. Not thread-safe.
 */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawPeer(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /** receiveBuffer > 0 shrinks the socket's receive buffer (a slow reader's window). */
    RawPeer(InetSocketAddress address, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 5000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A peer on a socket accepted by a test's own server (playing the server's side). */
    RawPeer(Socket accepted) throws IOException {
        socket = accepted;
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void message(Envelope e) throws IOException {
        byte[] body = e.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.putInt(1 + body.length).put(Frames.TYPE_MESSAGE).put(body);
        raw(b.array());
    }

    void data(long id, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(13 + payload.length);
        b.putInt(9 + payload.length).put(Frames.TYPE_DATA).putLong(id).put(payload);
        raw(b.array());
    }

    /** Hello with this build's version and the token. */
    void hello(String token) throws IOException {
        hello(Frames.PROTOCOL_MAJOR, token);
    }

    void hello(int major, String token) throws IOException {
        Hello.Builder h = Hello.newBuilder().setVersion(ProtocolVersion.newBuilder().setMajor(major).setMinor(0))
                .setClientName("raw-peer");
        if (token != null) {
            h.setAuthToken(token);
        }
        message(Envelope.newBuilder().setHello(h).build());
    }

    /** A frame read: a message, or the request id and payload of a DATA frame. */
    record Frame(Envelope message, long dataId, byte[] data) {
    }

    /** The next frame; throws SocketTimeoutException after timeoutMs and EOFException at end of stream. */
    Frame read(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        int len = in.readInt();
        byte type = in.readByte();
        byte[] body = new byte[len - 1];
        in.readFully(body);
        if (type == Frames.TYPE_MESSAGE) {
            try {
                return new Frame(Envelope.parseFrom(body), 0, null);
            } catch (InvalidProtocolBufferException e) {
                throw new IOException("bad message from the server", e);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        long id = b.getLong();
        byte[] p = new byte[body.length - 8];
        b.get(p);
        return new Frame(null, id, p);
    }

    /** The next message, skipping DATA frames. */
    Envelope readMessage(int timeoutMs) throws IOException {
        while (true) {
            Frame f = read(timeoutMs);
            if (f.message() != null) {
                return f.message();
            }
        }
    }

    /** True when the server closes the connection within timeoutMs (frames before that are skipped). */
    boolean closedWithin(int timeoutMs) throws IOException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        socket.setSoTimeout(timeoutMs);
        byte[] buf = new byte[8192];
        while (System.nanoTime() < end) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }
        return false;
    }

    /** Reads frames until a fatal error arrives; returns it. */
    io.pacq.proto.Error fatalError(int timeoutMs) throws IOException {
        while (true) {
            Envelope e;
            try {
                e = readMessage(timeoutMs);
            } catch (EOFException eof) {
                throw new AssertionError("connection closed without a fatal error frame");
            }
            if (e.hasError() && e.getError().getFatal()) {
                return e.getError();
            }
        }
    }

    /** Closes with a reset (SO_LINGER 0), as a killed process's socket would. */
    void kill() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
