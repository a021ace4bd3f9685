// Shapes, tensors and host buffers: sizes, ownership and alignment.
#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

#include "core/error.h"
#include "core/tensor.h"

namespace pose {
namespace {

TEST(Shape, CountsElementsAndPrints) {
  const Shape nhwc{2, 64, 48, 17};
  EXPECT_EQ(nhwc.rank(), 4);
  EXPECT_EQ(nhwc.numel(), 2 * 64 * 48 * 17);
  EXPECT_EQ(nhwc[3], 17);
  EXPECT_EQ(nhwc.str(), "[2, 64, 48, 17]");
  EXPECT_EQ(Shape{}.numel(), 0);
  EXPECT_EQ((Shape{5, 0}).numel(), 0);
}

TEST(Shape, ComparesByDimensions) {
  EXPECT_EQ((Shape{2, 3}), (Shape{2, 3}));
  EXPECT_NE((Shape{2, 3}), (Shape{3, 2}));
  EXPECT_NE((Shape{6}), (Shape{2, 3}));
}

TEST(Shape, RejectsBadShapes) {
  EXPECT_THROW((Shape{1, 2, 3, 4, 5}), Error);
  EXPECT_THROW((Shape{2, -1}), Error);
  EXPECT_THROW((Shape{2, 3})[2], Error);
}

TEST(Tensor, AllocatesAlignedHostMemoryOfTheRightSize) {
  const Tensor t = Tensor::empty({3, 5, 7, 8}, DType::F16, Device::CPU);
  EXPECT_EQ(t.numel(), 3 * 5 * 7 * 8);
  EXPECT_EQ(t.bytes(), static_cast<std::size_t>(t.numel()) * 2);
  ASSERT_NE(t.data<void>(), nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.data<void>()) % 64, 0u);
  EXPECT_EQ(t.view().str(), "f16 cpu [3, 5, 7, 8]");
  // Every byte is writable (AddressSanitizer builds catch an undersized allocation here).
  auto* bytes = t.data<std::uint8_t>();
  for (std::size_t i = 0; i < t.bytes(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(bytes[t.bytes() - 1], static_cast<std::uint8_t>(t.bytes() - 1));
}

TEST(Buffer, MoveTransfersOwnership) {
  Buffer a(128, MemoryKind::Host);
  void* ptr = a.data();
  Buffer b(std::move(a));
  EXPECT_EQ(b.data(), ptr);
  EXPECT_EQ(b.bytes(), 128u);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  Buffer c;
  c = std::move(b);
  EXPECT_EQ(c.data(), ptr);
  EXPECT_EQ(b.data(), nullptr);  // NOLINT(bugprone-use-after-move)
}

TEST(Buffer, EmptyBufferHoldsNothing) {
  Buffer empty(0, MemoryKind::Host);
  EXPECT_EQ(empty.data(), nullptr);
  EXPECT_EQ(empty.bytes(), 0u);
}

#if !POSE_WITH_CUDA
TEST(Buffer, DeviceMemoryWithoutCudaSaysHowToGetIt) {
  try {
    Buffer device(16, MemoryKind::Device);
    FAIL() << "allocating GPU memory in a build without CUDA must throw";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("POSE_CUDA=ON"), std::string::npos) << e.what();
  }
}
#endif

}  // namespace
}  // namespace pose
