// Names and version of the shard format (docs/data_format.md), shared by writer and reader.
#pragma once

namespace pose::shard_format {

inline constexpr const char* kFormatName = "pose-shards";
inline constexpr int kVersion = 2;  // 2: checksums, provenance in index.json
inline constexpr const char* kIndexFile = "index.json";
inline constexpr const char* kImages = "images";
inline constexpr const char* kInstances = "instances";

}  // namespace pose::shard_format
