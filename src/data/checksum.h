// The checksum of shard contents (docs/data_format.md): 64-bit FNV-1a over bytes, chosen
// because it is a few lines in any language (a user can check a shard from h5py) and fast
// enough for the loader to check every image it reads. It catches damage, not tampering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace pose {

inline constexpr std::uint64_t kChecksumStart = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis

// Continues `sum` over `bytes` bytes at `data`; start with kChecksumStart.
std::uint64_t checksum_update(std::uint64_t sum, const void* data, std::size_t bytes);

inline std::uint64_t checksum(const void* data, std::size_t bytes) {
  return checksum_update(kChecksumStart, data, bytes);
}

// 16 lower-case hex digits, as stored in shard attributes.
std::string checksum_text(std::uint64_t sum);

}  // namespace pose
