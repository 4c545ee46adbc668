// Storage faults against the real binary: a disk that fills up while the server writes (a small
// tmpfs; also a file size limit) and a database on a read-only filesystem. Mounts are made in a
// mount namespace of the test's own (as root, or in an unprivileged user namespace); where
// neither is allowed those tests are reported skipped, never passed. What must hold: writes are
// refused with 503 and a sentence that says what is wrong, reads keep working, nothing refused is
// stored, nothing acknowledged is lost, the database file stays intact, and writes work again
// once there is space, without a restart.
#include <doctest/doctest.h>

#include <sys/mount.h>      // umount2
#include <sys/resource.h>   // prlimit

#include <set>      // std::set

#include "hardening_support.hpp"
#include "test_skip.hpp"

using namespace grove;
using namespace grove::test;

namespace {

struct FillResult {
    std::vector<std::string> acknowledged;       // 201
    std::vector<std::string> refused;            // 503
    std::vector<HttpAnswer> refusals;
    std::vector<std::string> unexpected;         // anything else, described
};

// Creates posts of ~450 bytes (and endorses some) until the server has refused `refusals`
// writes or `max_writes` were sent.
FillResult fill_until_refused(const HttpApi& api, int refusals, int max_writes) {
    FillResult r;
    const std::string writers[] = {HttpApi::token("fill-a"), HttpApi::token("fill-b", Role::leader)};
    const std::string body(450, 'x');
    for (int i = 0; i < max_writes && static_cast<int>(r.refused.size()) < refusals; ++i) {
        const std::string id = "fill-" + std::to_string(i);
        const auto res = api.call("POST", "/api/v1/modules/disk/posts", writers[i % 2], create_json(id, body + id));
        if (res.status == 201) {
            r.acknowledged.push_back(id);
            if (i % 4 == 3) {   // an endorsement by the other writer: a write to two tables
                const auto e = api.call("PUT", "/api/v1/posts/" + r.acknowledged[r.acknowledged.size() - 2] + "/endorsement",
                                        writers[i % 2]);
                if (e.status != 200 && e.status != 503)
                    r.unexpected.push_back("endorsement answered " + std::to_string(e.status) + ": " + e.body);
            }
        } else if (res.status == 0) {
            r.unexpected.push_back(id + " got no answer: the server is gone");
            break;
        } else if (res.status == 503) {
            r.refused.push_back(id);
            r.refusals.push_back(res);
        } else {
            r.unexpected.push_back(id + " answered " + std::to_string(res.status) + ": " + res.body);
        }
    }
    return r;
}

void check_refusals_are_clear(const FillResult& r) {
    for (const HttpAnswer& a : r.refusals) {
        CHECK(a.status == 503);
        CHECK(a.code() == "unavailable");
        const std::string message = a.json()["error"]["message"].get<std::string>();
        CAPTURE(message);
        CHECK(message.find("full") != std::string::npos);          // says what is wrong
        CHECK(message.find("not saved") != std::string::npos);     // and that nothing happened
        CHECK(!a.header("Retry-After").empty());
    }
}

// Everything acknowledged is in the file once, nothing refused is, and the file is sound.
void check_database(const std::string& db, const FillResult& r, const std::vector<std::string>& later) {
    const DatabaseAudit audit = audit_database(db);
    CHECK(audit.integrity == "ok");
    for (const std::string& p : audit.problems) FAIL_CHECK(p);
    for (const std::string& id : r.acknowledged) CHECK_MESSAGE(audit.post_count.count(id) == 1, "lost " << id);
    for (const std::string& id : later) CHECK_MESSAGE(audit.post_count.count(id) == 1, "lost " << id);
    for (const std::string& id : r.refused) CHECK_MESSAGE(audit.post_count.count(id) == 0, "refused but stored: " << id);
}

}  // namespace

TEST_CASE("disk faults: a full disk refuses writes with 503 and a clear error, loses nothing, and recovers") {
    if (const std::string why = enter_private_mounts(); !why.empty()) {
        skip_test("a full disk needs a tmpfs of its own: " + why);   // the file size limit test still runs
        return;
    }
    SmallDisk disk("3m");
    if (!disk.available()) {
        skip_test("a full disk needs a tmpfs of its own: " + disk.why_not());
        return;
    }
    const std::string db = disk.path() + "/grove.db";
    FillResult r;
    std::vector<std::string> later;
    {
        HttpApi api({}, db);
        r = fill_until_refused(api, 12, 20000);
        for (const std::string& u : r.unexpected) FAIL_CHECK(u);
        REQUIRE_MESSAGE(!r.refused.empty(), "the disk never filled up");
        REQUIRE(r.acknowledged.size() > 20);
        check_refusals_are_clear(r);
        CHECK(api.server().log().find("full") != std::string::npos);   // the operator learns why

        // Reads still work while the disk is full, and show every acknowledged post.
        CHECK(api.call("GET", "/api/v1/health").status == 200);
        std::set<std::string> present;
        for (const Json& p : all_posts(api, "disk", HttpApi::token("reader"))) present.insert(p["id"].get<std::string>());
        for (const std::string& id : r.acknowledged) CHECK_MESSAGE(present.count(id), "not readable: " << id);

        // Space comes back: writes work again without a restart.
        REQUIRE(disk.resize("64m"));
        for (int i = 0; i < 20; ++i) {
            const std::string id = "after-" + std::to_string(i);
            const auto res = api.call("POST", "/api/v1/modules/disk/posts", HttpApi::token("fill-a"), create_json(id, "space again"));
            CHECK_MESSAGE(res.status == 201, res.body);
            if (res.status == 201) later.push_back(id);
        }
        CHECK(api.server().stop() == 0);
    }
    check_database(db, r, later);
}

TEST_CASE("disk faults: a file size limit (EFBIG) is a full disk too - the server answers 503 instead of dying") {
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/grove.db";
    FillResult r;
    std::vector<std::string> later;
    {
        std::unique_ptr<HttpApi> api;
        {
            // grove-server starts with the limit; SIGXFSZ would kill it unless it is ignored.
            FileSizeLimitForChildren limit(2 * 1024 * 1024);
            api = std::make_unique<HttpApi>(std::vector<std::string>{}, db);
        }
        r = fill_until_refused(*api, 12, 20000);
        for (const std::string& u : r.unexpected) FAIL_CHECK(u);
        REQUIRE_MESSAGE(process_alive(api->server().pid()), "grove-server died at the file size limit");
        REQUIRE(!r.refused.empty());
        REQUIRE(r.acknowledged.size() > 20);
        check_refusals_are_clear(r);
        CHECK(api->call("GET", "/api/v1/modules/disk/posts?limit=1", HttpApi::token("reader")).status == 200);

        // Lift the limit on the running server: writes work again.
        rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
        rlimit current{};
        REQUIRE(::prlimit(api->server().pid(), RLIMIT_FSIZE, nullptr, &current) == 0);
        unlimited.rlim_max = current.rlim_max;
        unlimited.rlim_cur = current.rlim_max;
        REQUIRE(::prlimit(api->server().pid(), RLIMIT_FSIZE, &unlimited, nullptr) == 0);
        for (int i = 0; i < 10; ++i) {
            const std::string id = "after-" + std::to_string(i);
            const auto res = api->call("POST", "/api/v1/modules/disk/posts", HttpApi::token("fill-b"), create_json(id, "room"));
            CHECK_MESSAGE(res.status == 201, res.body);
            if (res.status == 201) later.push_back(id);
        }
        CHECK(api->server().stop() == 0);
    }
    check_database(db, r, later);
    remove_temp_dir(dir);
}

TEST_CASE("disk faults: a database on a read-only filesystem is refused at start with a sentence that says so") {
    if (const std::string why = enter_private_mounts(); !why.empty()) {
        skip_test("a read-only filesystem needs a mount of its own: " + why);
        return;
    }
    const std::string dir = make_temp_dir();
    const std::string view = make_temp_dir();
    {
        HttpApi api({}, dir + "/grove.db");
        REQUIRE(api.call("POST", "/api/v1/modules/m/posts", HttpApi::token("ann"), create_json("kept", "before")).status == 201);
        REQUIRE(api.server().stop() == 0);
    }
    if (const std::string why = bind_read_only(dir, view); !why.empty()) {
        skip_test("a read-only filesystem needs a mount of its own: " + why);
        remove_temp_dir(dir);
        remove_temp_dir(view);
        return;
    }
    int status = 0;
    std::string out;
    {
        const std::string cmd = std::string(GROVE_SERVER_BINARY) + " --dev --port 0 --db " + view + "/grove.db 2>&1";
        FILE* p = popen(cmd.c_str(), "r");
        REQUIRE(p != nullptr);
        char buf[512];
        while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        status = pclose(p);
    }
    ::umount2(view.c_str(), MNT_DETACH);
    CAPTURE(out);
    CHECK(status != 0);
    CHECK(out.find(view + "/grove.db") != std::string::npos);
    CHECK(out.find("read-only") != std::string::npos);
    // The data is untouched and the same file opens fine where it is writable.
    const DatabaseAudit audit = audit_database(dir + "/grove.db");
    CHECK(audit.integrity == "ok");
    CHECK(audit.post_count.count("kept") == 1);
    remove_temp_dir(dir);
    remove_temp_dir(view);
}
