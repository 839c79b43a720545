package dev.logdist.otlp;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code google.rpc.Status} an OTLP/HTTP error answer carries, in protobuf or JSON: only its {@code code} and
 * {@code message} (field 1, int32; field 2, string), so it is written here rather than brought in with the
 * common-protos library for two fields.
 */
final class RpcStatus {

    /** gRPC's codes for the statuses answered: the client's fault, a method not served, no room for now. */
    static final int INVALID_ARGUMENT = 3;
    static final int UNIMPLEMENTED = 12;
    static final int UNAVAILABLE = 14;

    private RpcStatus() {
    }

    static byte[] protobuf(int code, String message) {
        int size = CodedOutputStream.computeInt32Size(1, code) + CodedOutputStream.computeStringSize(2, message);
        byte[] bytes = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    static String json(int code, String message) {
        return "{\"code\":" + code + ",\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"}";
    }
}
