// op_timer on the CPU: off by default, counts each checked op once per call under its label,
// attributes the ops inside a caller's span to that span only, and starts afresh after collect.
#include <gtest/gtest.h>

#include <map>

#include "kernels/op_timer.h"
#include "kernels/ops.h"

namespace pose {
namespace {

std::map<std::string, long> calls_by_label(const std::vector<op_timer::Row>& rows) {
  std::map<std::string, long> calls;
  for (const op_timer::Row& r : rows) {
    EXPECT_GE(r.ms, 0.0) << r.label;
    calls[r.label] = r.calls;
  }
  return calls;
}

class OpTimer : public ::testing::Test {
 protected:
  void TearDown() override {
    op_timer::enable(false);
    op_timer::collect(ctx);
  }
  DeviceContext ctx = DeviceContext::cpu();
  Tensor a = Tensor::empty({4096}, DType::F32, Device::CPU);
  Tensor b = Tensor::empty({4096}, DType::F32, Device::CPU);
};

TEST_F(OpTimer, RecordsNothingWhileOff) {
  ops::fill(ctx, a, 1.0f);
  EXPECT_TRUE(op_timer::collect(ctx).empty());
}

TEST_F(OpTimer, CountsEachOpUnderItsLabel) {
  op_timer::enable(true);
  ops::fill(ctx, a, 1.0f);
  ops::fill(ctx, b, 2.0f);
  ops::add(ctx, a, a, b);
  ops::relu_forward(ctx, b, a);
  const auto calls = calls_by_label(op_timer::collect(ctx));
  EXPECT_EQ(calls, (std::map<std::string, long>{{"fill", 2}, {"add", 1}, {"relu_forward", 1}}));
  EXPECT_TRUE(op_timer::collect(ctx).empty()) << "collect starts afresh";
}

TEST_F(OpTimer, ASpanHoldsTheOpsItCalls) {
  op_timer::enable(true);
  for (int i = 0; i < 3; ++i) {
    const op_timer::Scope span(ctx, "two adds");
    ops::add(ctx, a, a, b);
    ops::add(ctx, b, a, b);
  }
  ops::scale(ctx, a, b, 0.5f);
  const auto calls = calls_by_label(op_timer::collect(ctx));
  EXPECT_EQ(calls, (std::map<std::string, long>{{"two adds", 3}, {"scale", 1}}));
}

}  // namespace
}  // namespace pose
