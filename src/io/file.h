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

// Refuses a directory (or anything that is not a file) with a UserError naming the path.
std::string read_text_file(const std::string& path);

// Writes `text` to a temporary name beside `path` and renames it over `path` once every byte
// is written and closed: `path` is either its old self or the whole new text, never a
// truncated file (a full disk, a killed process). A failed write removes the temporary file.
void write_text_file(const std::string& path, const std::string& text);

// A temporary name beside `path` that no other process uses: `path` + ".partial." + host +
// "." + process id, so two jobs writing the same file (on one node or two) never write
// into each other's temporary file.
std::string temporary_path_for(const std::string& path);

// Renames `from` over `to` (atomic on one file system), or throws a UserError naming both.
void rename_over(const std::string& from, const std::string& to);

}  // namespace pose
