package dev.portbank.transfer;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Transfer ids: version 7 UUIDs (RFC 9562), time-ordered so that new transfers land at the right-hand edge of the
 * primary-key index instead of on random pages, which keeps the index's cache and write-ahead log small.
 */
final class TransferIds {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private TransferIds() {
    }

    static UUID next() {
        return at(System.currentTimeMillis(), RANDOM.get());
    }

    static UUID at(long unixMillis, java.util.Random random) {
        long high = (unixMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
