// The streaming JSON reader behind the results loader: structure, strings, the number
// grammar, whole numbers, skipping, and syntax errors with their position.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "eval/json_cursor.h"

namespace pose {
namespace {

std::string syntax_error(const std::string& text) {
  try {
    JsonCursor in(text, "t.json");
    in.skip_value();
    in.expect_end();
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

TEST(JsonCursor, WalksObjectsAndArrays) {
  JsonCursor in(R"( {"a": [1, -2.5e1, 0], "b": {}, "c": []} )", "t.json");
  in.begin_object();
  std::string key;
  ASSERT_TRUE(in.next_key(key));
  EXPECT_EQ(key, "a");
  in.begin_array();
  double sum = 0;
  int count = 0;
  while (in.next_element()) {
    sum += in.number();
    ++count;
  }
  EXPECT_EQ(count, 3);
  EXPECT_EQ(sum, -24.0);
  ASSERT_TRUE(in.next_key(key));
  EXPECT_EQ(key, "b");
  in.begin_object();
  EXPECT_FALSE(in.next_key(key));
  ASSERT_TRUE(in.next_key(key));
  EXPECT_EQ(key, "c");
  in.begin_array();
  EXPECT_FALSE(in.next_element());
  EXPECT_FALSE(in.next_key(key));
  in.expect_end();
}

TEST(JsonCursor, DecodesEscapesInKeys) {
  JsonCursor in(R"({"q\"\\\/\n\t": 1, "\u00e9\ud83d\ude00": 2})", "t.json");
  in.begin_object();
  std::string key;
  ASSERT_TRUE(in.next_key(key));
  EXPECT_EQ(key, "q\"\\/\n\t");
  in.number();
  ASSERT_TRUE(in.next_key(key));
  EXPECT_EQ(key, "\xC3\xA9\xF0\x9F\x98\x80");  // U+00E9 and U+1F600 in UTF-8
}

TEST(JsonCursor, ReadsNumbersExactly) {
  const std::pair<const char*, double> cases[] = {{"0", 0.0},     {"-0.5", -0.5}, {"1E3", 1000.0},
                                                  {"2.5e-1", 0.25}, {"0.1", 0.1},
                                                  {"123.45600128173828", 123.45600128173828}, {"1e-400", 0.0}};
  for (const auto& [text, value] : cases) {
    JsonCursor in(text, "t.json");
    EXPECT_EQ(in.number(), value) << text;
  }
}

TEST(JsonCursor, RefusesWhatJsonDoesNotAllow) {
  for (const char* text : {"01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "[1,]", "[1 2]",
                           "{\"a\" 1}", "{\"a\": 1,}", "{a: 1}", "\"open", "\"tab\there\"", "\"\\x\"", "\"\\ud800\"",
                           "tru", "[", "1 2"})
    EXPECT_NE(syntax_error(text).find("'t.json' is not valid JSON"), std::string::npos) << text;
}

TEST(JsonCursor, RefusesNumbersBeyondDoubleRange) {
  JsonCursor in("[1e400]", "t.json");
  in.begin_array();
  ASSERT_TRUE(in.next_element());
  EXPECT_THROW(in.number(), UserError);
}

TEST(JsonCursor, WholeNumbers) {
  std::int64_t v = 0;
  JsonCursor exact("9007199254740993", "t.json");  // 2^53 + 1: exact as an integer token
  ASSERT_TRUE(exact.whole_number(v));
  EXPECT_EQ(v, 9007199254740993LL);
  JsonCursor written_as_float("442619.0", "t.json");
  ASSERT_TRUE(written_as_float.whole_number(v));
  EXPECT_EQ(v, 442619);
  JsonCursor fraction("3.5", "t.json");
  EXPECT_FALSE(fraction.whole_number(v));
  EXPECT_EQ(fraction.number(), 3.5);  // nothing was consumed
  JsonCursor text("\"7\"", "t.json");
  EXPECT_FALSE(text.whole_number(v));
}

TEST(JsonCursor, SkipsAnyValueAndReturnsItsText) {
  JsonCursor in(R"([ {"x": [1, {"y": null}], "z": "s,]"} , true, false, null, "e\"" ])", "t.json");
  in.begin_array();
  ASSERT_TRUE(in.next_element());
  EXPECT_EQ(in.skip_value(), R"({"x": [1, {"y": null}], "z": "s,]"})");
  for (const char* literal : {"true", "false", "null", "\"e\\\"\""}) {
    ASSERT_TRUE(in.next_element());
    EXPECT_EQ(in.skip_value(), literal);
  }
  EXPECT_FALSE(in.next_element());
  in.expect_end();
}

TEST(JsonCursor, ErrorsSayWhere) {
  EXPECT_NE(syntax_error("[1,\n 2,\n x]").find("(line 3, column 2)"), std::string::npos);
  EXPECT_NE(syntax_error(std::string(300, '[')).find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace pose
