package dev.portbank.platform;

import dev.portbank.transfer.OutcomeUnknownException;
import io.helidon.dbclient.DbClientException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are a database outage (503, retry) and which are bugs (500), as the driver and pool raise them. */
class DatabaseFaultsTest {

    private static SQLException state(String sqlState) {
        return new SQLException("server said " + sqlState, sqlState);
    }

    private static DbClientException wrapped(Throwable cause) {
        return new DbClientException("Failed to execute Statement", new IllegalStateException("wrapped", cause));
    }

    @Test
    void outagesAreUnavailable() {
        String[] outages = {"08000", "08001", "08003", "08006", "57P01", "57P02", "57P03", "57014", "55P03", "53300"};
        for (String sqlState : outages) {
            assertThat(DatabaseFaults.isUnavailable(state(sqlState))).as(sqlState).isTrue();
            assertThat(DatabaseFaults.isUnavailable(wrapped(state(sqlState)))).as("wrapped " + sqlState).isTrue();
        }
    }

    @Test
    void poolTimeoutIsUnavailableButNotRetriedAsALostConnection() {
        var poolTimeout = new SQLTransientConnectionException("portbank - Connection is not available, request "
                + "timed out after 5000ms", "08001", state("08001"));
        var fromDbClient = new IllegalStateException("no database connection available", poolTimeout);

        assertThat(DatabaseFaults.isUnavailable(fromDbClient)).isTrue();
        assertThat(DatabaseFaults.isConnectionLost(fromDbClient)).isFalse();
    }

    @Test
    void droppedConnectionIsLost() {
        assertThat(DatabaseFaults.isConnectionLost(wrapped(state("08006")))).isTrue();
        assertThat(DatabaseFaults.isConnectionLost(wrapped(state("57P01")))).isTrue();
        assertThat(DatabaseFaults.isConnectionLost(wrapped(state("57014")))).isFalse();
    }

    @Test
    void unknownOutcomeIsUnavailable() {
        assertThat(DatabaseFaults.isUnavailable(new OutcomeUnknownException(new IllegalStateException("commit"))))
                .isTrue();
    }

    @Test
    void bugsAreNotUnavailable() {
        String[] bugs = {"23505", "23514", "42P01", "42601", "22003", "40001", "XX000"};
        for (String sqlState : bugs) {
            assertThat(DatabaseFaults.isUnavailable(wrapped(state(sqlState)))).as(sqlState).isFalse();
        }
        assertThat(DatabaseFaults.isUnavailable(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseFaults.isUnavailable(new NullPointerException())).isFalse();
    }

    @Test
    void nextExceptionIsFollowed() {
        SQLException batch = state("XX000");
        batch.setNextException(state("08006"));
        assertThat(DatabaseFaults.isUnavailable(batch)).isTrue();
    }
}
