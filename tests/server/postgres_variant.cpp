// The contract tests on PostgreSQL: with GROVE_TEST_DB=postgresql in the environment (ctest's
// "server on postgresql" entries, tests/CMakeLists.txt), every grove-server a test starts and
// every in-process API gets a fresh database on the process's test cluster instead of a SQLite
// file, so the same test cases check the same answers from the other engine.
#include <atomic>    // std::atomic
#include <cstdlib>   // std::getenv
#include <cstring>   // std::strcmp
#include <stdexcept>   // std::runtime_error
#include <string>    // std::string

#include "api_test_support.hpp"
#include "postgres_cluster.hpp"
#include "server_process.hpp"
#include "storage/postgres_engine.hpp"

namespace grove::test {
namespace {

PostgresCluster& cluster() {
    std::string why_not;
    PostgresCluster* c = PostgresCluster::shared(why_not);
    if (!c) throw std::runtime_error("GROVE_TEST_DB=postgresql, but " + why_not);
    return *c;
}

// The same database for the same folder, so restart tests find their data again.
std::string database_for(const std::string& db_path) {
    const std::string name = database_name_for(db_path.substr(0, db_path.find_last_of('/')));
    cluster().create_database(name);
    return cluster().uri(name);
}

std::unique_ptr<StorageEngine> fresh_engine() {
    static std::atomic<int> next{0};
    const std::string name = "grove_in_process_" + std::to_string(++next);
    cluster().create_database(name);
    return open_postgres_engine(PostgresOptions{cluster().uri(name)});
}

const bool installed = [] {
    const char* which = std::getenv("GROVE_TEST_DB");
    if (!which || std::strcmp(which, "postgresql") != 0) return false;
    server_database_override = database_for;
    in_process_engine_override() = fresh_engine;
    return true;
}();

}  // namespace
}  // namespace grove::test
