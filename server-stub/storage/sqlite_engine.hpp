// The SQLite storage engine (the default): one file, WAL mode, migrations on open.
#pragma once

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "storage/storage_engine.hpp"

namespace grove {

struct SqliteOptions {
    std::string path = "grove.db";   // ":memory:" for a private in-memory database (tests)
    // true: every commit is fsynced (survives power loss); false: WAL with synchronous=NORMAL
    // (survives a crash of the process, which is what kill -9 tests; much faster commits).
    bool sync_full = true;
    // Statements wait this long for a lock held by another process before failing.
    int busy_timeout_ms = 5000;
};

// Opens (creating if missing) and migrates the database. Throws StorageError with a sentence
// for the operator (unreadable file, a schema newer than this program, ...).
std::unique_ptr<StorageEngine> open_sqlite_engine(const SqliteOptions& options);

// The schema version this program writes; stored in the table schema_migrations.
constexpr int kSqliteSchemaVersion = 2;

}  // namespace grove
