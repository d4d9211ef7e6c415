package dev.portbank.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            postgres://bank:s3cret@db.example:6543/ledger?sslmode=require   | db.example | 6543 | ledger | bank | s3cret
            postgresql://bank:s3cret@db.example:6543/ledger?sslmode=require | db.example | 6543 | ledger | bank | s3cret
            jdbc:postgresql://db.example:6543/ledger?user=bank&password=s3cret&sslmode=require | db.example | 6543 | ledger | bank | s3cret
            postgres://db.example/ledger                                    | db.example | 5432 | ledger |      |
            POSTGRES://u@[::1]:5433/x                                        | [::1]      | 5433 | x      | u    |
            postgres://u:p%40ss%3Aw0rd@h:1/d                                 | h          | 1    | d      | u    | p@ss:w0rd
            """)
    void parsesEveryAcceptedForm(String raw, String host, int port, String database, String user, String password) {
        DatabaseUrl url = DatabaseUrl.parse(raw);

        assertThat(url.host()).isEqualTo(host);
        assertThat(url.port()).isEqualTo(port);
        assertThat(url.database()).isEqualTo(database);
        assertThat(url.user()).isEqualTo(Optional.ofNullable(user));
        assertThat(url.password()).isEqualTo(Optional.ofNullable(password));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://bank:s3cret@db.example:6543/ledger?sslmode=require",
            "jdbc:postgresql://db.example:6543/ledger?user=bank&password=s3cret&sslmode=require"})
    void jdbcUrlKeepsParametersButNeverCredentials(String raw) {
        DatabaseUrl url = DatabaseUrl.parse(raw);

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/ledger?sslmode=require");
        assertThat(url.redacted()).doesNotContain("s3cret");
        assertThat(url.toString()).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            mysql://u:secretpw@h/db      | must start with postgres://
            ''                           | must start with postgres://
            localhost:5432/db            | must start with postgres://
            postgres://u:secretpw@h      | names no database
            postgres://u:secretpw@h/     | names no database
            postgres://u:secretpw@h/a/b  | names no database
            postgres:///db               | has no host
            'postgres://h:80/d b'        | not a valid URL
            """)
    void rejectsBadUrlsNamingTheSettingWithoutTheSecret(String raw, String expected) {
        assertThatThrownBy(() -> DatabaseUrl.parse(raw))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageContaining(expected)
                .message().doesNotContain("secretpw");
    }

    @ParameterizedTest
    @CsvSource({"alice,,alice,pw", ",new,u,new", "alice,new,alice,new"})
    void credentialsOverrideTheUrl(String user, String password, String expectedUser, String expectedPassword) {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:pw@h/d")
                .withCredentials(Optional.ofNullable(user), Optional.ofNullable(password));

        assertThat(url.user()).contains(expectedUser);
        assertThat(url.password()).contains(expectedPassword);
    }
}
