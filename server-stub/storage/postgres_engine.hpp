// The PostgreSQL storage engine: one database shared by any number of grove-server instances
// (chosen by --db postgresql://...). The top of postgres_engine.cpp explains how revs stay exact.
#pragma once

#include <memory>   // std::unique_ptr
#include <string>   // std::string

#include "storage/storage_engine.hpp"

namespace grove {

struct PostgresOptions {
    // A libpq connection URI (postgresql://user@host/db?...) or key=value string. Never logged
    // whole: it may hold a password.
    std::string uri;
    // A write transaction waits this long for the service-wide writer lock (held by another
    // instance's writer) before failing with a StorageError.
    int lock_timeout_ms = 10000;
    // Tests only: a pause between a write transaction's last statement and its COMMIT, which
    // widens the window of commit-order races (tests/server/postgres_engine_test.cpp).
    int test_delay_before_commit_ms = 0;
};

// Connects, checks the server (version, UTF8 encoding) and creates or migrates the schema.
// Throws StorageError with a sentence for the operator (cannot connect, a schema newer than this
// program, ...).
std::unique_ptr<StorageEngine> open_postgres_engine(const PostgresOptions& options);

// Whether --db names a PostgreSQL database (postgresql:// or postgres://) rather than a SQLite file.
bool is_postgres_uri(const std::string& db);

// An empty string if libpq can parse `uri`, else its reason (without the URI itself).
std::string postgres_uri_problem(const std::string& uri);

// The URI with any password replaced by "***", for messages.
std::string redact_postgres_uri(const std::string& uri);

// The schema version this program writes; stored in schema_migrations. It numbers the same data
// model as the SQLite engine's kSqliteSchemaVersion.
constexpr int kPostgresSchemaVersion = 2;

}  // namespace grove
