// Damaged shard sets: per-record damage (bytes outside the data, NaN or impossible values, image
// bytes that fail their checksum) is reported for that record without reading outside buffers;
// damage to the whole set (truncated file, tables that disagree or fail their checksum, a newer
// version, a shard listed twice) stops open() naming the file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "data/checksum.h"
#include "data/data_error.h"
#include "data/shard_reader.h"
#include "data/shard_tables.h"
#include "data/shard_verify.h"
#include "io/file.h"
#include "io/hdf5_check.h"
#include "io/hdf5_file.h"
#include "prepare_fixture.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using test::sample_annotations;

constexpr const char* kShard = "val2017-00000-of-00001.h5";

class DamagedShardTest : public test::PrepareFixture {
 protected:
  void SetUp() override {
    PrepareFixture::SetUp();
    split_ = write(gt_records(sample_annotations(), {}), 1, "split");
    shard_ = split_ + "/" + kShard;
  }

  // Rewrites dataset `name` of the shard after `edit` changed its values. With `reseal`, the
  // tables' checksum is brought up to date (as a writer of bad values would have written it),
  // so that the value checks behind it are what the test sees; tables that no longer agree
  // with each other cannot be read to reseal and stay as they are.
  template <typename T, typename Edit>
  void edit(const std::string& name, hid_t type, Edit edit_values, bool reseal = true) {
    const h5::Handle file(static_cast<hid_t>(POSE_H5_CHECK(H5Fopen(shard_.c_str(), H5F_ACC_RDWR, H5P_DEFAULT))));
    std::vector<hsize_t> dims;
    std::vector<T> values = h5::read_dataset<T>(file, name, dims);
    edit_values(values);
    const h5::Handle set(static_cast<hid_t>(POSE_H5_CHECK(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT))));
    POSE_H5_CHECK(H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
    if (!reseal) return;
    ShardTables tables;
    try {
      tables = read_shard_tables(file);
    } catch (const UserError&) {
      return;
    }
    POSE_H5_CHECK(H5Adelete(file.get(), "tables_checksum"));
    h5::write_attribute(file, "tables_checksum", checksum_text(tables_checksum(tables)));
  }

  // Overwrites bytes of the shard file at `position`.
  void overwrite(std::uint64_t position, const std::string& bytes) {
    std::fstream out(shard_, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(position));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good());
  }

  std::string open_error() {
    try {
      ShardSet::open(split_);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  }

  std::string split_, shard_;
};

bool any_contains(const std::vector<std::string>& problems, const std::string& a, const std::string& b) {
  for (const std::string& p : problems)
    if (p.find(a) != std::string::npos && p.find(b) != std::string::npos) return true;
  return false;
}

TEST_F(DamagedShardTest, ImageBytesOutsideTheDataAreAPerRecordProblem) {
  // Image rows: 785 (record 0), 40083 (1, 2), 196141 (3..6), 197388 (7..11).
  edit<std::uint64_t>("images/length", H5T_NATIVE_UINT64, [](auto& v) { v[3] += 1000; });  // past the end
  edit<std::uint64_t>("images/offset", H5T_NATIVE_UINT64, [](auto& v) { v[1] = std::uint64_t{1} << 40; });
  edit<std::uint64_t>("images/length", H5T_NATIVE_UINT64, [](auto& v) { v[2] = 0; });
  const ShardSet set = ShardSet::open(split_);
  ASSERT_EQ(set.size(), 12u);
  std::string why;
  EXPECT_TRUE(set.record_looks_valid(0, &why)) << why;
  EXPECT_FALSE(set.record_looks_valid(1, &why));
  EXPECT_NE(why.find("outside the shard's image data"), std::string::npos) << why;
  EXPECT_FALSE(set.record_looks_valid(3, &why));
  EXPECT_NE(why.find("length 0"), std::string::npos) << why;
  EXPECT_FALSE(set.record_looks_valid(11, &why));
  std::vector<std::uint8_t> bytes;
  try {
    set.read_jpeg(11, bytes);
    FAIL() << "bytes past the image data must not be read";
  } catch (const DataError& e) {
    EXPECT_EQ(e.record(), 11u);
    EXPECT_NE(std::string(e.what()).find(kShard), std::string::npos) << e.what();
  }
  EXPECT_THROW(set.read_jpeg(1, bytes), DataError);
  set.read_jpeg(0, bytes);  // the good image still reads

  const VerifyReport report = verify_shards(split_);
  EXPECT_EQ(report.problems.size(), 3u);  // one per damaged image, not per record
  EXPECT_TRUE(any_contains(report.problems, "record 1 (image id 40083)", kShard));
  EXPECT_TRUE(any_contains(report.problems, "record 3 (image id 196141)", "length 0"));
  EXPECT_TRUE(any_contains(report.problems, "record 7 (image id 197388)", "outside"));
}

TEST_F(DamagedShardTest, NonFiniteValuesAreAPerRecordProblem) {
  edit<float>("instances/joints", H5T_NATIVE_FLOAT, [](auto& v) { v[4] = std::nanf(""); });  // record 0, joint 1 y
  edit<float>("instances/scale", H5T_NATIVE_FLOAT, [](auto& v) { v[2 * 5] = -1; });          // record 5
  edit<float>("instances/score", H5T_NATIVE_FLOAT, [](auto& v) { v[8] = INFINITY; });        // record 8
  const ShardSet set = ShardSet::open(split_);
  std::string why;
  EXPECT_FALSE(set.record_looks_valid(0, &why));
  EXPECT_NE(why.find("joint 1 is not finite"), std::string::npos) << why;
  EXPECT_FALSE(set.record_looks_valid(5, &why));
  EXPECT_NE(why.find("scale"), std::string::npos) << why;
  EXPECT_FALSE(set.record_looks_valid(8, &why));
  EXPECT_TRUE(set.record_looks_valid(1, &why)) << why;
  const VerifyReport report = verify_shards(split_);
  EXPECT_EQ(report.problems.size(), 3u);
  EXPECT_TRUE(any_contains(report.problems, "record 0 (image id 785)", "joint 1"));
  EXPECT_TRUE(any_contains(report.problems, "record 5 (image id 196141)", "scale"));
  EXPECT_TRUE(any_contains(report.problems, "record 8 (image id 197388)", "score"));
}

TEST_F(DamagedShardTest, ImpossibleValuesAreAPerRecordProblem) {
  edit<float>("instances/joints", H5T_NATIVE_FLOAT, [](auto& v) { v[3 * 2 + 2] = 7; });   // record 0, joint 2
  edit<float>("instances/joints", H5T_NATIVE_FLOAT, [](auto& v) {  // record 1, joint 5: labelled, x = 1e30
    v[51 * 1 + 3 * 5] = 1e30f;
    v[51 * 1 + 3 * 5 + 2] = 2;
  });
  edit<float>("instances/scale", H5T_NATIVE_FLOAT, [](auto& v) { v[2 * 5 + 1] = 1e30f; });  // record 5
  edit<float>("instances/center", H5T_NATIVE_FLOAT, [](auto& v) { v[2 * 8] = -1e6f; });    // record 8
  const ShardSet set = ShardSet::open(split_);
  std::string why;
  EXPECT_FALSE(set.record_looks_valid(0, &why));
  EXPECT_NE(why.find("joint 2 has visibility 7"), std::string::npos) << why;
  const VerifyReport report = verify_shards(split_);
  EXPECT_EQ(report.problems.size(), 4u);
  EXPECT_TRUE(any_contains(report.problems, "record 0 (image id 785)", "visibility 7"));
  EXPECT_TRUE(any_contains(report.problems, "record 1 (image id 40083)", "lies far outside"));
  EXPECT_TRUE(any_contains(report.problems, "record 5 (image id 196141)", "scale"));
  EXPECT_TRUE(any_contains(report.problems, "record 8 (image id 197388)", "centre"));
}

TEST_F(DamagedShardTest, FlippedBytesInTheTablesStopOpen) {
  // Byte flips in the joints table, the tables' checksum left as written.
  edit<float>("instances/joints", H5T_NATIVE_FLOAT, [](auto& v) {
    for (std::size_t i = 0; i < v.size(); i += 37) {
      std::uint32_t bits;
      std::memcpy(&bits, &v[i], 4);
      bits ^= 0x00010000u;
      std::memcpy(&v[i], &bits, 4);
    }
  }, /*reseal=*/false);
  EXPECT_NE(open_error().find("fail their checksum"), std::string::npos) << open_error();
  EXPECT_NE(open_error().find(kShard), std::string::npos) << open_error();
  const VerifyReport report = verify_shards(split_);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("checksum"), std::string::npos) << report.problems[0];
}

TEST_F(DamagedShardTest, DamagedImageBytesFailTheirChecksum) {
  const ShardSet set = ShardSet::open(split_);
  overwrite(set.image_of(0).file_offset, "GARBAGE!");          // no start-of-image marker
  // One byte inside the entropy-coded data: still a decodable JPEG, but not the one prepared.
  std::vector<std::uint8_t> bytes;
  set.read_jpeg(1, bytes);
  overwrite(set.image_of(1).file_offset + bytes.size() / 2, std::string(1, static_cast<char>(bytes[bytes.size() / 2] ^ 0x10)));
  EXPECT_THROW(set.read_jpeg(1, bytes), DataError);
  const VerifyReport report = verify_shards(split_);
  EXPECT_EQ(report.problems.size(), 2u);
  EXPECT_TRUE(any_contains(report.problems, "record 0 (image id 785)", "checksum"));
  EXPECT_TRUE(any_contains(report.problems, "record 1 (image id 40083)", "checksum"));
}

TEST_F(DamagedShardTest, AShardListedTwiceDoesNotOpen) {
  const std::string index_path = split_ + "/index.json";
  std::string text = read_text_file(index_path);
  const std::size_t begin = text.find('{', text.find("\"shards\""));
  const std::size_t end = text.find('}', begin) + 1;
  text.insert(end, ", " + text.substr(begin, end - begin));
  write_text_file(index_path, text);
  EXPECT_NE(open_error().find("is listed twice"), std::string::npos) << open_error();
}

TEST_F(DamagedShardTest, ATruncatedOrMissingShardDoesNotOpen) {
  fs::resize_file(shard_, fs::file_size(shard_) / 2);
  EXPECT_NE(open_error().find(kShard), std::string::npos) << open_error();
  const VerifyReport report = verify_shards(split_);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find(kShard), std::string::npos);
  fs::remove(shard_);
  EXPECT_NE(open_error().find(kShard), std::string::npos) << open_error();
}

TEST_F(DamagedShardTest, TablesThatDisagreeDoNotOpen) {
  edit<std::int32_t>("instances/image_index", H5T_NATIVE_INT32, [](auto& v) { v[2] = 7; });
  std::string msg = open_error();
  EXPECT_NE(msg.find(kShard), std::string::npos) << msg;
  EXPECT_NE(msg.find("record 2 points at image row 7 of 4"), std::string::npos) << msg;

  edit<std::int32_t>("instances/image_index", H5T_NATIVE_INT32, [](auto& v) { v[2] = 0; });
  msg = open_error();
  EXPECT_NE(msg.find("record 2 has image id 40083 but its image row has 785"), std::string::npos) << msg;
}

TEST_F(DamagedShardTest, IndexCountsAndVersionAreChecked) {
  const std::string index_path = split_ + "/index.json";
  const std::string index = read_text_file(index_path);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = index;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  write_text_file(index_path, replaced("\"num_records\": 12", "\"num_records\": 13"));
  EXPECT_NE(open_error().find("13 records; the shards hold 4 and 12"), std::string::npos) << open_error();
  write_text_file(index_path, replaced("\"records\": 12", "\"records\": 11"));
  EXPECT_NE(open_error().find("index.json says 4 and 11"), std::string::npos) << open_error();
  write_text_file(index_path, replaced("\"version\": 2", "\"version\": 3"));
  EXPECT_NE(open_error().find("version 3, newer than"), std::string::npos) << open_error();
  write_text_file(index_path, replaced("pose-shards", "something-else"));
  EXPECT_NE(open_error().find("not a pose shard index"), std::string::npos) << open_error();
  write_text_file(index_path, "{");
  EXPECT_NE(open_error().find("index.json' is not valid JSON"), std::string::npos) << open_error();
}

}  // namespace
}  // namespace pose
