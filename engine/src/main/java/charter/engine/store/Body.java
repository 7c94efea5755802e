package charter.engine.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A raw body as stored: deflated when that makes it smaller (webhook JSON shrinks 5-10x,
 * which is most of what the store writes), else as is. Decoding gives the bytes exactly.
 */
record Body(String encoding, byte[] bytes) {
    static final String IDENTITY = "identity";
    static final String DEFLATE = "deflate";
    /** Below this, compressing saves too little to be worth a decode on every read. */
    private static final int MIN_DEFLATE = 256;

    static Body encode(byte[] raw) {
        try (Encoder e = new Encoder()) {
            return e.encode(raw);
        }
    }

    /**
     * Encodes bodies with one {@link Deflater}, reset between bodies. A new Deflater allocates and
     * clears about 256 KiB of zlib state, which costs as much as deflating a small webhook body;
     * a store encodes every body it appends, so it keeps one. Not thread-safe (the store's
     * append is synchronized).
     */
    static final class Encoder implements AutoCloseable {
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);

        Body encode(byte[] raw) {
            if (raw.length < MIN_DEFLATE) return new Body(IDENTITY, raw);
            deflater.reset();
            deflater.setInput(raw);
            deflater.finish();
            byte[] out = new byte[raw.length];   // no use keeping it if it does not shrink
            int n = 0;
            while (!deflater.finished() && n < out.length) n += deflater.deflate(out, n, out.length - n);
            if (!deflater.finished() || n >= raw.length) return new Body(IDENTITY, raw);
            return new Body(DEFLATE, Arrays.copyOf(out, n));
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    static byte[] decode(String encoding, byte[] stored) throws DataFormatException {
        return switch (encoding) {
            case IDENTITY -> stored;
            case DEFLATE -> inflate(stored);
            default -> throw new IllegalArgumentException("unknown body encoding " + encoding);
        };
    }

    private static byte[] inflate(byte[] stored) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 6);
            byte[] buf = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated deflate stream");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
