// Configuration: seed defaults, the shipped INI files, precedence (flag > file > default),
// every error path's message (key, value, source, accepted values), the round trip of the
// effective config, --help and --print-config.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../common/paths.h"
#include "config/config.h"
#include "config/config_schema.h"
#include "core/error.h"

namespace pose {
namespace {

namespace fs = std::filesystem;
using config_schema::KeySpec;
using config_schema::schema;

const std::string kSeedConfig = "/configs/coco/res50_256x192_adam_lr1e-3.ini";
const std::string kTinyConfig = "/configs/synthetic/tiny_cpu.ini";

// Runs parse_command_line as a program would see `args` after its name.
ParsedCommandLine parse(const std::vector<std::string>& args, std::ostream& out) {
  std::vector<const char*> argv = {"pose_train"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data(), out);
}

ParsedCommandLine parse(const std::vector<std::string>& args) {
  std::ostringstream ignored;
  return parse(args, ignored);
}

std::string error_of(const std::vector<std::string>& args) {
  try {
    parse(args);
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a UserError";
  return "";
}

void expect_mentions(const std::string& message, const std::vector<std::string>& parts) {
  EXPECT_EQ(message.rfind("config error: ", 0), 0u) << message;
  for (const std::string& part : parts)
    EXPECT_NE(message.find(part), std::string::npos)
        << "\"" << part << "\" missing from: " << message;
}

// Each test writes its INI files into a fresh folder under the system's temporary directory.
class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           cat("pose_test_config_", test->name(), "_", std::random_device{}());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_ini(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  fs::path dir_;
};

TEST(ConfigDefaults, AreTheSeedValues) {
  const Config c = default_config();
  EXPECT_EQ(c.run.device, "auto");
  EXPECT_EQ(c.run.comm, "nccl");
  EXPECT_EQ(c.run.resume, "");
  EXPECT_EQ(c.data.image_width, 192);
  EXPECT_EQ(c.data.image_height, 256);
  EXPECT_EQ(c.data.heatmap_width, 48);
  EXPECT_EQ(c.data.heatmap_height, 64);
  EXPECT_EQ(c.data.sigma, 2.0);
  EXPECT_EQ(c.data.scale_factor, 0.3);
  EXPECT_EQ(c.data.rotation_factor, 40.0);
  EXPECT_EQ(c.data.rotation_prob, 0.6);
  EXPECT_TRUE(c.data.flip);
  EXPECT_EQ(c.data.color_order, "rgb");
  EXPECT_EQ(c.model.backbone, "resnet50");
  EXPECT_EQ(c.model.num_joints, 17);
  EXPECT_EQ(c.model.num_deconv_layers, 3);
  EXPECT_EQ(c.model.num_deconv_filters, (std::vector<int>{256, 256, 256}));
  EXPECT_EQ(c.model.num_deconv_kernels, (std::vector<int>{4, 4, 4}));
  EXPECT_EQ(c.model.final_conv_kernel, 1);
  EXPECT_FALSE(c.model.deconv_with_bias);
  EXPECT_EQ(c.train.batch_size, 32);
  EXPECT_EQ(c.train.epochs, 140);
  EXPECT_EQ(c.train.optimizer, "adam");
  EXPECT_EQ(c.train.lr, 1e-3);
  EXPECT_EQ(c.train.lr_steps, (std::vector<int>{90, 120}));
  EXPECT_EQ(c.train.lr_factor, 0.1);
  EXPECT_EQ(c.train.weight_decay, 0.0);
  EXPECT_EQ(c.train.adam_beta1, 0.9);
  EXPECT_EQ(c.train.adam_beta2, 0.999);
  EXPECT_EQ(c.train.adam_eps, 1e-8);
  EXPECT_EQ(c.train.precision, "fp16");
  EXPECT_EQ(c.train.loss_scale_init, 65536.0);
  EXPECT_EQ(c.train.loss_scale_growth_interval, 1000);
  EXPECT_TRUE(c.train.use_target_weight);
  EXPECT_TRUE(c.train.shuffle);
  EXPECT_EQ(c.test.batch_size, 32);
  EXPECT_FALSE(c.test.use_gt_bbox);
  EXPECT_EQ(c.test.bbox_file, "COCO_val2017_detections_AP_H_56_person.json");
  EXPECT_EQ(c.test.image_thre, 0.0);
  EXPECT_TRUE(c.test.flip_test);
  EXPECT_TRUE(c.test.shift_heatmap);
  EXPECT_TRUE(c.test.post_process);
  EXPECT_EQ(c.test.in_vis_thre, 0.2);
  EXPECT_EQ(c.test.oks_thre, 0.9);
  EXPECT_EQ(c.test.model_file, "");
}

// --help shows default_text and --print-config shows format_value: they must agree.
TEST(ConfigDefaults, DefaultTextIsThePrintedForm) {
  const Config defaults = default_config();
  for (const KeySpec& spec : schema())
    EXPECT_EQ(config_schema::format_value(spec, defaults), spec.default_text) << spec.key();
}

TEST(ConfigDefaults, NoArgumentsGiveTheDefaults) {
  const ParsedCommandLine parsed = parse({});
  EXPECT_FALSE(parsed.stop);
  EXPECT_TRUE(same_settings(parsed.config, default_config()));
  EXPECT_EQ(parsed.config.source_file, "");
  for (const KeySpec& spec : schema())
    EXPECT_EQ(parsed.config.origins.at(spec.key()), ValueOrigin::Default) << spec.key();
}

TEST(ConfigShipped, SeedFileHoldsEveryKeyAtItsDefault) {
  const std::string path = test::source_dir() + kSeedConfig;
  const Config c = parse({"--config", path}).config;
  EXPECT_TRUE(same_settings(c, default_config()));
  EXPECT_EQ(c.source_file, path);
  for (const KeySpec& spec : schema())
    EXPECT_EQ(c.origins.at(spec.key()), ValueOrigin::File)
        << spec.key() << " missing from the file";
}

TEST(ConfigShipped, TinyCpuFileParses) {
  const Config c = parse({"--config", test::source_dir() + kTinyConfig}).config;
  for (const KeySpec& spec : schema())
    EXPECT_EQ(c.origins.at(spec.key()), ValueOrigin::File)
        << spec.key() << " missing from the file";
  EXPECT_EQ(c.model.backbone, "resnet18");
  EXPECT_EQ(c.data.image_width, 96);
  EXPECT_EQ(c.data.image_height, 128);
  EXPECT_EQ(c.data.heatmap_width, 24);
  EXPECT_EQ(c.data.heatmap_height, 32);
  EXPECT_EQ(c.data.root, "data/synthetic");
  EXPECT_EQ(c.train.batch_size, 8);
  EXPECT_EQ(c.train.epochs, 10);
  EXPECT_EQ(c.model.base_width, 16);
  EXPECT_EQ(c.train.precision, "fp32");
  EXPECT_EQ(c.run.device, "cpu");
  EXPECT_EQ(c.run.comm, "mpi");
}

TEST_F(ConfigFiles, FlagOverridesFileOverridesDefault) {
  const std::string path = write_ini("run.ini",
                                     "[train]\nlr = 0.01\nbatch_size = 16\nepochs = 150\n"
                                     "[data]\nflip = off\n");
  const Config c = parse({"--config", path, "--train.lr", "0.02", "--train.epochs=200",
                          "--data.color_order=bgr"})
                       .config;
  EXPECT_EQ(c.train.lr, 0.02);  // file and flag: the flag wins
  EXPECT_EQ(c.origins.at("train.lr"), ValueOrigin::Flag);
  EXPECT_EQ(c.train.epochs, 200);  // --key=value form
  EXPECT_EQ(c.origins.at("train.epochs"), ValueOrigin::Flag);
  EXPECT_EQ(c.data.color_order, "bgr");  // flag only
  EXPECT_EQ(c.train.batch_size, 16);     // file only
  EXPECT_EQ(c.origins.at("train.batch_size"), ValueOrigin::File);
  EXPECT_FALSE(c.data.flip);
  EXPECT_EQ(c.data.sigma, 2.0);  // neither
  EXPECT_EQ(c.origins.at("data.sigma"), ValueOrigin::Default);
}

TEST(ConfigValues, AcceptsEveryBooleanSpellingAndSpacedLists) {
  const Config c = parse({"--data.flip", "NO", "--train.shuffle=Off", "--test.flip_test", "0",
                          "--run.log_all_ranks", "Yes", "--test.post_process", "on",
                          "--train.lr_steps", " 30 , 40 ", "--train.lr", "+5e-4"})
                       .config;
  EXPECT_FALSE(c.data.flip);
  EXPECT_FALSE(c.train.shuffle);
  EXPECT_FALSE(c.test.flip_test);
  EXPECT_TRUE(c.run.log_all_ranks);
  EXPECT_TRUE(c.test.post_process);
  EXPECT_EQ(c.train.lr_steps, (std::vector<int>{30, 40}));
  EXPECT_EQ(c.train.lr, 5e-4);
}

TEST(ConfigValues, DeeperHeadWithMatchingHeatmapsAndEmptyStepList) {
  const Config c =
      parse({"--model.num_deconv_layers", "4", "--model.num_deconv_filters", "256,256,256,128",
             "--model.num_deconv_kernels", "4,4,4,2", "--data.heatmap_width", "96",
             "--data.heatmap_height", "128", "--train.lr_steps", ""})
          .config;
  EXPECT_EQ(c.model.num_deconv_kernels, (std::vector<int>{4, 4, 4, 2}));
  EXPECT_TRUE(c.train.lr_steps.empty());
}

TEST_F(ConfigFiles, UnknownKeyInFileNamesKeyFileAndLine) {
  const std::string path = write_ini("a.ini", "[train]\nlr = 0.01\nlearning_rate = 0.1\n");
  expect_mentions(error_of({"--config", path}),
                  {"unknown key train.learning_rate", "0.1", path + " line 3", "--help"});
}

TEST_F(ConfigFiles, UnknownKeyInWrongSectionSuggestsTheRightOne) {
  const std::string path = write_ini("a.ini", "# comment\n\n[train]\nsigma = 3\n");
  expect_mentions(error_of({"--config", path}),
                  {"train.sigma", "3", path + " line 4", "did you mean data.sigma?", "--help"});
}

TEST(ConfigErrors, UnknownFlagSuggestsAndPointsToHelp) {
  expect_mentions(error_of({"--train.lrr", "0.1"}),
                  {"--train.lrr", "command line", "did you mean --train.lr?", "--help"});
}

TEST_F(ConfigFiles, MalformedValuesInFile) {
  struct Case {
    std::string ini, key, value, accepted;
  };
  for (const Case& bad : std::vector<Case>{
           {"[train]\nlr = abc\n", "train.lr", "abc", "(0, 10]"},
           {"[train]\nbatch_size = 3.5\n", "train.batch_size", "3.5", "[1, 65536]"},
           {"[data]\nflip = maybe\n", "data.flip", "maybe", "true/false"},
           {"[train]\nlr_steps = 90,,120\n", "train.lr_steps", "90,,120", "each in [1, 100000]"},
           {"[train]\nlr_steps = 90,\n", "train.lr_steps", "90,", "each in [1, 100000]"},
           {"[data]\nimage_width = 200\n", "data.image_width", "200", "a multiple of 32"},
           {"[run]\nname =\n", "run.name", "\"\"", "a non-empty text"},
       }) {
    const std::string path = write_ini("bad.ini", bad.ini);
    expect_mentions(error_of({"--config", path}),
                    {bad.key, bad.value, path + " line 2", bad.accepted});
  }
}

TEST(ConfigErrors, MalformedAndOutOfRangeFlags) {
  struct Case {
    std::string key, value, accepted;
  };
  for (const Case& bad : std::vector<Case>{
           {"train.lr", "1e-3x", "(0, 10]"},
           {"train.lr", "0", "(0, 10]"},
           {"train.epochs", "12abc", "[1, 100000]"},
           {"data.rotation_prob", "1.5", "[0, 1]"},
           {"data.scale_factor", "1", "[0, 1)"},
           {"train.batch_size", "0", "[1, 65536]"},
           {"train.batch_size", "99999999999999999999", "[1, 65536]"},
           {"train.loss_scale_init", "0", "(0, 10000000000]"},
           {"train.loss_scale_growth_interval", "0", "[1, 1000000000]"},
           {"train.lr_steps", "120,90", "increasing"},
           {"model.final_conv_kernel", "2", "one of: 1, 3"},
           {"model.num_deconv_kernels", "4,5,4", "each one of 2, 3, 4"},
           {"run.device", "gpu", "one of: auto, cpu, cuda"},
           {"model.backbone", "resnet51", "resnet18, resnet34, resnet50, resnet101, resnet152"},
           {"data.root", "data#coco", "without '#'"},
       }) {
    expect_mentions(error_of({"--" + bad.key, bad.value}),
                    {bad.key, bad.value, "command line", bad.accepted});
  }
}

TEST_F(ConfigFiles, KeyGivenTwiceInFile) {
  const std::string path = write_ini("twice.ini", "[train]\nlr = 0.1\nlr = 0.2\n");
  expect_mentions(error_of({"--config", path}),
                  {"train.lr", "twice", path, "\"0.1\" at line 2", "\"0.2\" at line 3"});
}

TEST(ConfigErrors, FlagGivenTwice) {
  expect_mentions(error_of({"--train.lr", "0.1", "--train.lr=0.2"}),
                  {"train.lr", "twice", "command line", "0.1", "0.2"});
}

TEST_F(ConfigFiles, MissingOrUnreadableFile) {
  const std::string missing = (dir_ / "nowhere.ini").string();
  expect_mentions(error_of({"--config", missing}), {missing, "No such file or directory"});
  expect_mentions(error_of({"--config", dir_.string()}), {dir_.string(), "directory"});
}

TEST_F(ConfigFiles, LineThatIsNotKeyValue) {
  const std::string path = write_ini("syntax.ini", "[train]\nlr 0.1\n");
  expect_mentions(error_of({"--config", path}), {"lr 0.1", path + " line 2", "key = value"});
}

TEST(ConfigErrors, StrayArgumentAndMissingFlagValue) {
  expect_mentions(error_of({"some.ini"}), {"unexpected argument \"some.ini\"", "--config FILE"});
  expect_mentions(error_of({"--train.lr"}), {"train.lr", "command line", "--help"});
}

TEST_F(ConfigFiles, HeatmapSizeMustMatchTheNetwork) {
  const std::string path = write_ini("heat.ini", "[data]\n\nheatmap_width = 40\n");
  expect_mentions(
      error_of({"--config", path}),
      {"data.heatmap_width = \"40\" (" + path + " line 3)", "data.image_width = \"192\" (default)",
       "model.num_deconv_layers = \"3\"", "accepted: 48"});
  expect_mentions(error_of({"--data.image_height", "320"}),
                  {"data.heatmap_height = \"64\" (default)",
                   "data.image_height = \"320\" (command line)", "accepted: 80"});
}

TEST(ConfigErrors, DeconvListsNeedOneEntryPerLayer) {
  expect_mentions(
      error_of({"--model.num_deconv_layers", "2", "--data.heatmap_width", "24",
                "--data.heatmap_height", "32", "--model.num_deconv_filters", "256,256"}),
      {"model.num_deconv_kernels = \"4,4,4\" (default)", "3 entries",
       "model.num_deconv_layers = \"2\" (command line)", "exactly 2 entries"});
}

TEST(ConfigErrors, LrStepsBelowEpochs) {
  expect_mentions(error_of({"--train.epochs", "100"}),
                  {"train.lr_steps = \"90,120\" (default)", "step 120",
                   "train.epochs = \"100\" (command line)", "[1, 99]"});
}

TEST(ConfigErrors, DetectorBoxesNeedABoxFile) {
  expect_mentions(error_of({"--test.bbox_file", ""}),
                  {"test.bbox_file = \"\" (command line)", "test.use_gt_bbox = \"false\" (default)",
                   "accepted:"});
  EXPECT_TRUE(
      parse({"--test.bbox_file", "", "--test.use_gt_bbox", "true"}).config.test.use_gt_bbox);
}

TEST(ConfigErrors, CpuNeedsFp32AndMpi) {
  expect_mentions(
      error_of({"--run.device", "cpu", "--run.comm", "mpi"}),
      {"train.precision = \"fp16\" (default)", "run.device = \"cpu\" (command line)", "fp32"});
  expect_mentions(error_of({"--run.device", "cpu", "--train.precision", "fp32"}),
                  {"run.comm = \"nccl\" (default)", "run.device = \"cpu\"", "run.comm = mpi"});
}

TEST_F(ConfigFiles, EffectiveConfigRoundTripsWithOrigins) {
  const std::string path =
      write_ini("run.ini", "[train]\nbatch_size = 16\n[model]\npretrained =\n");
  const Config original = parse({"--config", path, "--train.lr", "0.0005", "--run.resume=auto",
                                 "--train.lr_steps", "10, 20", "--data.sigma", "0.1"})
                              .config;
  const std::string ini = effective_config_ini(original);
  EXPECT_NE(ini.find("lr = 0.0005"), std::string::npos) << ini;
  EXPECT_NE(ini.find("lr_steps = 10,20"), std::string::npos) << ini;

  // Each line names its origin.
  auto line_of = [&](const std::string& start) {
    const auto begin = ini.find("\n" + start);
    return ini.substr(begin + 1, ini.find('\n', begin + 1) - begin - 1);
  };
  EXPECT_NE(line_of("lr = ").find("# flag"), std::string::npos);
  EXPECT_NE(line_of("pretrained = ").find("# file"), std::string::npos);
  EXPECT_NE(line_of("rotation_prob = ").find("# default"), std::string::npos);

  const Config reread = parse({"--config", write_ini("effective.ini", ini)}).config;
  EXPECT_TRUE(same_settings(reread, original));
  EXPECT_EQ(reread.model.pretrained, "");
  EXPECT_EQ(reread.data.sigma, 0.1);

  // The defaults round-trip too, empty values included.
  const Config defaults =
      parse({"--config", write_ini("defaults.ini", effective_config_ini(default_config()))}).config;
  EXPECT_TRUE(same_settings(defaults, default_config()));
}

TEST(ConfigHelp, ListsEveryKeyWithItsDefaultAndStops) {
  std::ostringstream out;
  // --help wins over everything else on the line, even a missing config file.
  const ParsedCommandLine parsed = parse({"--config", "/nonexistent.ini", "--help"}, out);
  EXPECT_TRUE(parsed.stop);
  EXPECT_EQ(out.str(), config_help("pose_train"));
  // Meanings are wrapped onto several lines: compare with every run of whitespace as one space.
  auto collapsed = [](const std::string& text) {
    std::string result;
    for (char c : text)
      if (!std::isspace(static_cast<unsigned char>(c)))
        result += c;
      else if (result.empty() || result.back() != ' ')
        result += ' ';
    return result;
  };
  const std::string help = collapsed(out.str());
  for (const KeySpec& spec : schema()) {
    const std::string entry = cat("  ", spec.key(), "  (default ",
                                  spec.default_text.empty() ? "empty" : spec.default_text, "; ",
                                  config_schema::accepted_values(spec), ")\n", spec.meaning);
    EXPECT_NE(help.find(collapsed(entry)), std::string::npos) << entry;
  }
  EXPECT_NE(out.str().find("[train]"), std::string::npos);
  EXPECT_NE(out.str().find("Rules between keys"), std::string::npos);
}

TEST(ConfigPrint, PrintsTheEffectiveConfigAndStops) {
  std::ostringstream out;
  const ParsedCommandLine parsed =
      parse({"--print-config", "--train.epochs", "7", "--train.lr_steps", "3,5"}, out);
  EXPECT_TRUE(parsed.stop);
  EXPECT_EQ(parsed.config.train.epochs, 7);
  EXPECT_EQ(out.str(), effective_config_ini(parsed.config));
  EXPECT_NE(out.str().find("epochs = 7"), std::string::npos);
}

}  // namespace
}  // namespace pose
