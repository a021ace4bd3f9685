#include "io/file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "core/error.h"

namespace pose {
namespace {
[[noreturn]] void fail(const std::string& what, const std::string& path, int error_number) {
  throw UserError(cat("cannot ", what, " '", path, "': ", std::strerror(error_number)));
}
}  // namespace

File::File(const std::string& path, const char* mode) : path_(path) {
  file_ = std::fopen(path.c_str(), mode);
  if (!file_) fail(mode[0] == 'r' ? "open for reading" : "open for writing", path, errno);
  // fopen opens a directory for reading without complaint; its reads would fail later with a
  // less helpful message (or its "size" would be taken as a length).
  struct stat info {};
  if (fstat(fileno(file_), &info) == 0 && S_ISDIR(info.st_mode)) {
    std::fclose(std::exchange(file_, nullptr));
    throw UserError(cat("'", path, "' is a folder, but a file is expected here"));
  }
}

File::File(File&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)), path_(std::move(other.path_)) {}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (file_) std::fclose(file_);
    file_ = std::exchange(other.file_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

File::~File() {
  if (file_) std::fclose(file_);
}

void File::read_exact(void* data, std::size_t bytes) {
  POSE_CHECK(file_, "read from a closed file");
  const std::size_t got = std::fread(data, 1, bytes, file_);
  if (got == bytes) return;
  if (std::ferror(file_)) fail("read", path_, errno);
  throw UserError(cat("'", path_, "' is truncated: wanted ", bytes, " bytes, got ", got));
}

void File::write_all(const void* data, std::size_t bytes) {
  POSE_CHECK(file_, "write to a closed file");
  if (std::fwrite(data, 1, bytes, file_) != bytes) fail("write", path_, errno);
}

void File::seek(long offset) {
  POSE_CHECK(file_, "seek in a closed file");
  if (std::fseek(file_, offset, SEEK_SET) != 0) fail("seek in", path_, errno);
}

long File::size() {
  POSE_CHECK(file_, "size of a closed file");
  const long here = std::ftell(file_);
  if (here < 0 || std::fseek(file_, 0, SEEK_END) != 0) fail("seek in", path_, errno);
  const long end = std::ftell(file_);
  if (end < 0 || std::fseek(file_, here, SEEK_SET) != 0) fail("seek in", path_, errno);
  return end;
}

void File::close() {
  if (!file_) return;
  std::FILE* f = std::exchange(file_, nullptr);
  if (std::fclose(f) != 0) fail("close", path_, errno);
}

std::string read_text_file(const std::string& path) {
  File file(path, "rb");
  std::string text(static_cast<std::size_t>(file.size()), '\0');
  file.read_exact(text.data(), text.size());
  return text;
}

std::string temporary_path_for(const std::string& path) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "host");
  return cat(path, ".partial.", host, ".", getpid());
}

void rename_over(const std::string& from, const std::string& to) {
  std::error_code error;
  std::filesystem::rename(from, to, error);
  if (error) throw UserError(cat("cannot rename '", from, "' to '", to, "': ", error.message()));
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string partial = temporary_path_for(path);
  try {
    File file(partial, "wb");
    file.write_all(text.data(), text.size());
    file.close();
    rename_over(partial, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  }
}

}  // namespace pose
