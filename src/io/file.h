// Checked file I/O. Every failure names the path, what was being done and the OS's reason,
// and is a UserError: a missing or unreadable file is something the user can fix.
#pragma once

#include <cstdio>
#include <string>

namespace pose {

class File {
 public:
  // mode as for fopen ("rb", "wb", ...). Throws UserError naming the path when it fails.
  File(const std::string& path, const char* mode);
  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  // Reads exactly `bytes` or throws (a short read means a truncated file).
  void read_exact(void* data, std::size_t bytes);
  void write_all(const void* data, std::size_t bytes);
  void seek(long offset);
  long size();
  // Flushes and closes, reporting errors (the destructor would have to swallow them).
  void close();

  const std::string& path() const { return path_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
};

std::string read_text_file(const std::string& path);
void write_text_file(const std::string& path, const std::string& text);

}  // namespace pose
