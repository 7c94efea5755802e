package charter.engine.ingest;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and hex helpers shared by the verifiers. */
final class Hmac {
    private Hmac() {}

    /** Mac.getInstance is a provider lookup; keep one per algorithm per thread (init resets it). */
    private static final ThreadLocal<java.util.Map<String, Mac>> MACS = ThreadLocal.withInitial(java.util.HashMap::new);

    private static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    static byte[] mac(String algorithm, byte[] secret, byte[] body) {
        try {
            Mac mac = MACS.get().computeIfAbsent(algorithm, Hmac::newMac);
            // an empty key is legal for HMAC but SecretKeySpec refuses it; pad with the one zero byte HMAC would use anyway
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, algorithm));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /** Lower-case hex, for signing in tests and tools. */
    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Decodes hex (either case); null when it is not even-length hex. */
    static byte[] unhex(String s) {
        if (s == null || s.isEmpty() || (s.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Compares a hex signature with the expected MAC in constant time (for equal lengths).
     * Malformed hex or a wrong length is Invalid, never an exception.
     */
    static Verification compare(String hexSignature, byte[] expected, String header) {
        byte[] given = unhex(hexSignature.strip());
        if (given == null) {
            return new Verification.Invalid(header + " is not hex");
        }
        if (given.length != expected.length) {
            return new Verification.Invalid(header + " has " + given.length + " bytes, expected " + expected.length);
        }
        return MessageDigest.isEqual(given, expected) ? Verification.VALID
                : new Verification.Invalid(header + " does not match the body");
    }
}
