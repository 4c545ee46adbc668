// The engine --db names: a PostgreSQL connection URI (postgresql://, postgres://) or a SQLite file.
#pragma once

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "storage/storage_engine.hpp"

namespace grove {

struct EngineChoice {
    std::string db = "grove.db";    // --db
    bool sqlite_sync_full = true;   // --sqlite-sync (SQLite only)
    int test_commit_delay_ms = 0;   // --test-commit-delay-ms (PostgreSQL only, tests only)
};

// Opens and migrates the database; throws StorageError with a sentence for the operator.
std::unique_ptr<StorageEngine> open_storage_engine(const EngineChoice& choice);

}  // namespace grove
