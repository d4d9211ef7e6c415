package dev.portbank.platform;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Makes logged text safe to log: whatever a client sent (a path, a header, a claim) can neither start a new log line
 * nor disguise one. Control characters (C0, DEL, C1), line and paragraph separators and format characters (bidi
 * overrides, zero-width) are written as escapes, in text and in JSON.
 */
public final class LogText {
    private LogText() {
    }

    /** Whether this character must never reach a log line as itself. */
    static boolean unsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.FORMAT -> true;
            default -> false;
        };
    }

    /** The text with every unsafe character escaped ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}). */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        if (text.chars().noneMatch(c -> unsafe((char) c))) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            appendEscaped(escaped, text.charAt(i));
        }
        return escaped.toString();
    }

    /**
     * A {@code key=value} value for text logs: escaped, and quoted (with {@code \"} and {@code \\} inside) when it is
     * empty or holds a space, a quote, an equals sign or an escape, so that a value can never pose as another field.
     */
    public static String value(Object value) {
        String text = String.valueOf(value);
        boolean plain = !text.isEmpty() && text.chars().noneMatch(c -> c == ' ' || c == '"' || c == '='
                || c == '\\' || Character.isWhitespace(c) || unsafe((char) c));
        if (plain) {
            return text;
        }
        return '"' + escape(text.replace("\\", "\\\\").replace("\"", "\\\"")) + '"';
    }

    private static void appendEscaped(StringBuilder out, char c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (unsafe(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }

    /**
     * Jackson's escapes for JSON log lines: its standard ones (every C0 control, {@code "} and {@code \}) plus the
     * characters JSON allows raw but log tools and terminals do not (DEL, C1, U+2028, U+2029, bidi and other format
     * characters).
     */
    static final class JsonEscapes extends CharacterEscapes {
        private final int[] ascii;

        JsonEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch < Character.MIN_SUPPLEMENTARY_CODE_POINT && unsafe((char) ch)
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
