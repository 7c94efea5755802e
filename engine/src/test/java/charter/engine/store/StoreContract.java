package charter.engine.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every store contract test starts from: a fresh store on each backend, SQLite and
 * PostgreSQL (skipped without CHARTER_TEST_PG_URL), opened before each test and closed after.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreTarget.Backend.class)
abstract class StoreContract {

    @Parameter
    StoreTarget.Backend backend;

    @TempDir
    Path temp;

    StoreTarget target;
    EventStore store;

    @BeforeEach
    void openStore() throws Exception {
        target = StoreTarget.create(backend, temp);
        store = target.open();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) store.close();
        if (target != null) target.close();
    }
}
