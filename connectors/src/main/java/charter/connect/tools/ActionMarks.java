package charter.connect.tools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** What each connector carries to the tool so that a second attempt of one action is recognised. */
public final class ActionMarks {
    private ActionMarks() {}

    /**
     * The hidden marker appended to GitHub bodies. Lookups accept a body only when it ends with the marker, so
     * text quoted from an event (which always comes before it) cannot pass for another action's marker.
     */
    public static String marker(String actionId) {
        return "<!-- charter-action: " + actionId + " -->";
    }

    public static boolean endsWithMarker(String body, String actionId) {
        return body != null && body.stripTrailing().endsWith(marker(actionId));
    }

    /**
     * A UUID in version-4 layout derived from the action id (Linear accepts client ids "in UUID v4 format"): the
     * same action always proposes the same id, so Linear refuses a second create.
     */
    public static UUID uuid(String actionId) {
        byte[] hash = sha256("charter-action:" + actionId);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x40);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) high = (high << 8) | (hash[i] & 0xff);
        for (int i = 8; i < 16; i++) low = (low << 8) | (hash[i] & 0xff);
        return new UUID(high, low);
    }

    /** The email Message-ID of an action: stable, so a receiver that deduplicates by Message-ID can. */
    public static String messageId(String actionId, String domain) {
        return "<" + actionId.replaceAll("[^A-Za-z0-9._-]", "_") + "@" + domain + ">";
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
