// What the version 1.1 reads cost as a database grows: GET /api/v1/counts for 100 modules (a
// catalogue page), GET /api/v1/digest?days=7 and GET /api/v1/stats?days=30, through the real
// ApiRouter and SQLite engine (a file in WAL mode, as grove-server runs it), with 1,000 / 10,000
// / 100,000 posts over 100 modules in the same run. Counts should cost the same at every size
// (the engine keeps them per module; one indexed lookup per key); the digest grows with the
// window's activity, the stats with every post (they are for curators, not catalogue pages).
//
//   build/native/bench/grove_counts_bench [rounds]
#include <algorithm>   // std::sort
#include <chrono>      // std::chrono::steady_clock
#include <cstdio>      // std::printf
#include <cstdlib>     // std::atoi
#include <memory>      // std::shared_ptr
#include <string>
#include <vector>

#include <unistd.h>    // mkdtemp, unlink, rmdir

#include "api/api_router.hpp"
#include "auth/jwt.hpp"
#include "storage/sqlite_engine.hpp"

using namespace grove;

namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;
constexpr std::int64_t kDay = 86'400'000;
constexpr int kModules = 100;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// n posts over the last 60 days in 100 modules, by 200 people; every seventh a reply, every tenth a
// commitment, every third endorsed once.
void fill(StorageEngine& engine, int n) {
    auto tx = engine.begin_write();
    for (int i = 0; i < n; ++i) {
        NewPost p;
        p.id = "p" + std::to_string(i);
        p.module = "module-" + std::to_string(i % kModules);
        // A reply to the module's post 100 before it (never itself a reply: 100 % 7 != 0).
        if (i % 7 == 6 && i >= kModules) p.parent_id = "p" + std::to_string(i - kModules);
        p.kind = i % 10 == 3 ? Kind::commitment : Kind::insight;
        p.body = "A reflection of about a hundred characters on what this module taught, number " + std::to_string(i);
        p.author = Author{"u" + std::to_string(i % 200), "Person " + std::to_string(i % 200), Role::learner};
        p.created_at_ms = kNow - 60 * kDay + static_cast<std::int64_t>(i) * (60 * kDay / n);
        if (p.kind == Kind::commitment) p.check_in_at_ms = p.created_at_ms + 7 * kDay;
        tx->insert_post(p);
        if (i % 3 == 0)
            tx->add_endorsement(EndorsementChange{p.id, "u" + std::to_string((i + 7) % 200), i % 9 == 0, p.created_at_ms + 1000});
    }
    tx->set_module_title(ModuleTitleChange{"module-0", "Fire safety 101"});
    tx->commit();
}

struct Timing {
    double counts = 0, digest = 0, stats = 0;
};

Timing measure(int posts, int rounds) {
    char dir_template[] = "/tmp/grove-counts-bench-XXXXXX";
    const std::string dir = mkdtemp(dir_template);
    const std::string db = dir + "/grove.db";
    Timing t;
    {
        std::shared_ptr<StorageEngine> engine = open_sqlite_engine(SqliteOptions{db, false});
        fill(*engine, posts);
        ServerOptions o;
        o.jwt_secret = "bench-secret";
        ApiRouter api(o, engine, [] { return kNow; });
        TokenClaims c;
        c.sub = "cat";
        c.name = "Cat";
        c.role = Role::curator;
        c.exp = kNow / 1000 + 3600;
        const std::string auth = "Bearer " + sign_token(c, o.jwt_secret);
        std::string keys;
        for (int m = 0; m < kModules; ++m) keys += (m ? "," : "") + std::string("module-") + std::to_string(m);

        auto time_get = [&](const std::string& path, const std::string& query) {
            ApiRequest req;
            req.method = "GET";
            req.path = path;
            req.query = query;
            req.headers.emplace("Authorization", auth);
            std::vector<double> ms;
            for (int r = 0; r < rounds; ++r) {
                const auto start = std::chrono::steady_clock::now();
                const ApiResponse res = api.handle(req);
                ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
                if (res.status != 200) {
                    std::fprintf(stderr, "%s answered %d: %s\n", path.c_str(), res.status, res.body.c_str());
                    std::exit(1);
                }
            }
            return median(ms);
        };
        t.counts = time_get("/api/v1/counts", "modules=" + keys);
        t.digest = time_get("/api/v1/digest", "days=7");
        t.stats = time_get("/api/v1/stats", "days=30");
    }
    for (const char* suffix : {"", "-wal", "-shm"}) unlink((db + suffix).c_str());
    rmdir(dir.c_str());
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
    std::printf("grove_counts_bench: medians of %d requests each, in process (ApiRouter + SQLite file, WAL)\n", rounds);
    std::printf("%10s  %14s  %14s  %14s\n", "posts", "counts x100 ms", "digest 7d ms", "stats 30d ms");
    std::vector<Timing> all;
    for (int posts : {1'000, 10'000, 100'000}) {
        const Timing t = measure(posts, rounds);
        all.push_back(t);
        std::printf("%10d  %14.3f  %14.3f  %14.3f\n", posts, t.counts, t.digest, t.stats);
    }
    std::printf("counts at 100,000 posts / at 1,000 posts: %.2fx (target: <= 2x, i.e. independent of size)\n",
                all.back().counts / all.front().counts);
    return 0;
}
