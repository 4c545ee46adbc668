// gzip for API answers. A feed page of 200 posts is ~80 KB of JSON that compresses about five
// times: on a branch office's slow link that is most of a widget's waiting, and on a busy server
// most of the time a GET spends is the kernel copying bytes. Browsers ask for gzip with every
// fetch, so the widget gets it without asking; clients that do not ask get the bytes as before.
#pragma once

#include <cstddef>       // std::size_t
#include <memory>        // std::shared_ptr
#include <mutex>         // std::mutex
#include <string>        // std::string
#include <string_view>   // std::string_view

namespace grove {

// Answers shorter than this go out as they are: below it gzip's header and the work cost more
// than the bytes they save.
constexpr std::size_t kMinCompressedAnswerBytes = 1024;

// The gzip form (RFC 1952) of `bytes`; level 1 (fastest) to 9 (smallest).
std::string gzip_compress(std::string_view bytes, int level);

// A feed page of 200 posts (110 KB) takes ~2.1 ms at level 6 for 21.2 KB, ~0.5 ms at level 1 for
// 23.4 KB. An answer made for one request gets level 1; a shared body, compressed once and sent
// many times, level 6.
constexpr int kOneOffGzipLevel = 1;
constexpr int kSharedGzipLevel = 6;

// Whether a request with this Accept-Encoding takes gzip (q-values honoured: "gzip;q=0" refuses).
bool accepts_gzip(const std::string& accept_encoding);

// Whether an answer of this Content-Type and size is worth compressing: JSON and CSV of at least
// kMinCompressedAnswerBytes.
bool compressible(std::string_view content_type, std::size_t size);

// Shared bodies (or gzip forms) at least this long are sent from a file with sendfile(2): the
// kernel then hands the socket the file's pages instead of copying the bytes into it. A profile
// of a cached feed page of 100 KB at 32 connections had 29 % of all samples in that copy; side
// by side, a page of 132 KB went from 25-31k to 48-51k requests/s, and its 21 KB gzip form from
// 71-78k to 77-84k.
constexpr std::size_t kSendFileMinBytes = 16 * 1024;
// Shared bodies' files open at once, at most: descriptors that connections cannot have (the
// server keeps this many out of its connection limit). A body past it is sent from memory.
constexpr int kMaxSendFiles = 256;

// The bytes of an answer shared by many requests (a cached feed page), with their gzip form made
// once, by the first request that wants it, and shared from then on; likewise a sealed in-memory
// file (memfd) holding either form, made by the first request sent that form from a file.
class SharedBody {
public:
    explicit SharedBody(std::string bytes) : bytes_(std::move(bytes)) {}
    ~SharedBody();
    SharedBody(const SharedBody&) = delete;
    SharedBody& operator=(const SharedBody&) = delete;
    const std::string& bytes() const { return bytes_; }
    // Thread-safe; the first call compresses.
    std::shared_ptr<const std::string> gzip() const;
    // Whether gzip() has been made (it answers without compressing).
    bool has_gzip() const;
    // Thread-safe: a read-only file descriptor whose contents are bytes(), sealed against any
    // change, owned by this body (valid while it lives; read it with an offset of your own, e.g.
    // sendfile's). -1 for bodies shorter than kSendFileMinBytes, or when the system refuses one
    // (no memfd, out of descriptors, kMaxSendFiles open): send bytes() instead. The first call
    // makes it; after a refusal for want of room, a later call tries again.
    int file() const;
    // The same for the gzip form (made by gzip() if it is not yet), sized by that form.
    int gzip_file() const;

private:
    const std::string bytes_;
    mutable std::mutex mutex_;
    mutable std::shared_ptr<const std::string> gzip_;
    struct File {
        int fd = -1;
        bool failed = false;   // it cannot be made: never try again
    };
    // With mutex_ held: slot's file of `bytes`, made if need be.
    int file_of(const std::string& bytes, File& slot) const;
    mutable File file_;
    mutable File gzip_file_;
};

}  // namespace grove
