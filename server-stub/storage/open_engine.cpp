#include "storage/open_engine.hpp"

#include "storage/postgres_engine.hpp"
#include "storage/sqlite_engine.hpp"

namespace grove {

std::unique_ptr<StorageEngine> open_storage_engine(const EngineChoice& choice) {
    if (is_postgres_uri(choice.db)) {
        PostgresOptions options{choice.db};
        options.test_delay_before_commit_ms = choice.test_commit_delay_ms;
        return open_postgres_engine(options);
    }
    return open_sqlite_engine(SqliteOptions{choice.db, choice.sqlite_sync_full});
}

}  // namespace grove
