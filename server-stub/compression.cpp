#include "compression.hpp"

#include <atomic>      // std::atomic
#include <cerrno>      // errno, EINTR
#include <stdexcept>   // std::runtime_error

#include <fcntl.h>      // fcntl, F_ADD_SEALS, F_SEAL_*
#include <sys/mman.h>   // memfd_create, MFD_CLOEXEC, MFD_ALLOW_SEALING
#include <unistd.h>     // write, close
#include <zlib.h>

#include "static_files.hpp"   // choose_content_encoding

namespace grove {

std::string gzip_compress(std::string_view bytes, int level) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's; memLevel 8 is zlib's default.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("gzip: deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);   // deflateBound: one call always finishes
    const std::size_t written = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
    out.resize(written);
    return out;
}

bool accepts_gzip(const std::string& accept_encoding) {
    return !accept_encoding.empty() && choose_content_encoding(accept_encoding, false, true) == "gzip";
}

bool compressible(std::string_view content_type, std::size_t size) {
    if (size < kMinCompressedAnswerBytes) return false;
    return content_type.rfind("application/json", 0) == 0 || content_type.rfind("text/csv", 0) == 0;
}

std::shared_ptr<const std::string> SharedBody::gzip() const {
    std::lock_guard lock(mutex_);
    if (!gzip_) gzip_ = std::make_shared<const std::string>(gzip_compress(bytes_, kSharedGzipLevel));
    return gzip_;
}

namespace {
std::atomic<int> open_send_files{0};
}  // namespace

SharedBody::~SharedBody() {
    for (const File* f : {&file_, &gzip_file_}) {
        if (f->fd < 0) continue;
        ::close(f->fd);
        open_send_files.fetch_sub(1);
    }
}

int SharedBody::file() const {
    if (bytes_.size() < kSendFileMinBytes) return -1;
    std::lock_guard lock(mutex_);
    return file_of(bytes_, file_);
}

int SharedBody::gzip_file() const {
    const auto packed = gzip();
    if (packed->size() < kSendFileMinBytes) return -1;
    std::lock_guard lock(mutex_);
    return file_of(*packed, gzip_file_);
}

int SharedBody::file_of(const std::string& bytes, File& slot) const {
    if (slot.fd >= 0 || slot.failed) return slot.fd;
    if (open_send_files.fetch_add(1) >= kMaxSendFiles) {   // no room now: maybe later
        open_send_files.fetch_sub(1);
        return -1;
    }
    const auto refuse = [](int fd) {
        if (fd >= 0) ::close(fd);
        open_send_files.fetch_sub(1);
        return -1;
    };
    const int fd = ::memfd_create("grove-shared-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return refuse(fd);   // out of descriptors for now, or no memfd: memory it is
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {   // a file size limit, or no memory: this body goes from memory
            slot.failed = true;
            return refuse(fd);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
        slot.failed = true;   // a kernel without seals: not worth trying for every request
        return refuse(fd);
    }
    slot.fd = fd;
    return fd;
}

bool SharedBody::has_gzip() const {
    std::lock_guard lock(mutex_);
    return gzip_ != nullptr;
}

}  // namespace grove
