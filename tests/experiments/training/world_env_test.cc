// WorldFromEnvironment: torchrun's and srun's variables, their precedence, defaults and
// one-line errors; ValidateWorld's limits against the global batch.
#include "experiments/training/world_env.h"

#include <map>

#include "gtest/gtest.h"

namespace datawall::training {
namespace {

struct Env {
  std::map<std::string, std::string> vars;
  const char* operator()(const char* name) const {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

TEST(WorldEnvTest, NothingSetIsOneProcess) {
  WorldOptions w;
  std::string error;
  ASSERT_TRUE(WorldFromEnvironment(Env{}, &w, &error)) << error;
  EXPECT_EQ(w.world_size, 1);
  EXPECT_EQ(w.rank, 0);
  EXPECT_FALSE(LaunchedByLauncher(Env{}));
}

TEST(WorldEnvTest, TorchrunVariables) {
  Env env{{{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "node7"},
           {"MASTER_PORT", "29400"}, {"SLURM_NTASKS", "8"}, {"SLURM_PROCID", "5"}}};
  WorldOptions w;
  std::string error;
  ASSERT_TRUE(WorldFromEnvironment(env, &w, &error)) << error;
  EXPECT_EQ(w.rank, 3);  // RANK wins over SLURM_PROCID
  EXPECT_EQ(w.world_size, 4);
  EXPECT_EQ(w.local_rank, 1);
  EXPECT_EQ(w.master_addr, "node7");
  EXPECT_EQ(w.master_port, 29400);
  EXPECT_TRUE(LaunchedByLauncher(env));
}

TEST(WorldEnvTest, SrunOneNodeDefaultsAddressAndPort) {
  Env env{{{"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "1"}, {"SLURM_LOCALID", "1"},
           {"SLURM_JOB_ID", "123456"}, {"SLURM_NNODES", "1"}}};
  WorldOptions w;
  std::string error;
  ASSERT_TRUE(WorldFromEnvironment(env, &w, &error)) << error;
  EXPECT_EQ(w.rank, 1);
  EXPECT_EQ(w.world_size, 2);
  EXPECT_EQ(w.master_addr, "127.0.0.1");
  EXPECT_EQ(w.master_port, 20000 + 123456 % 20000);
}

TEST(WorldEnvTest, OneLineErrors) {
  WorldOptions w;
  std::string error;
  EXPECT_FALSE(WorldFromEnvironment(Env{{{"SLURM_NTASKS", "2"}, {"SLURM_PROCID", "0"},
                                         {"SLURM_STEP_NUM_NODES", "2"}}}, &w, &error));
  EXPECT_NE(error.find("MASTER_ADDR is not set for a multi-node srun step"), std::string::npos);
  EXPECT_FALSE(WorldFromEnvironment(Env{{{"RANK", "0"}}}, &w, &error));
  EXPECT_NE(error.find("WORLD_SIZE"), std::string::npos) << error;
  EXPECT_FALSE(WorldFromEnvironment(Env{{{"RANK", "5"}, {"WORLD_SIZE", "2"}}}, &w, &error));
  EXPECT_NE(error.find("RANK=5"), std::string::npos) << error;
  EXPECT_FALSE(WorldFromEnvironment(
      Env{{{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "x"}}}, &w,
      &error));
  EXPECT_NE(error.find("MASTER_PORT=x"), std::string::npos) << error;
}

TEST(WorldEnvTest, ValidateWorldAgainstTheBatch) {
  WorldOptions w;
  w.world_size = 16;
  EXPECT_NE(ValidateWorld(w, 8).message().find("exceeds batch_size 8"), std::string::npos);
  w.world_size = 3;
  EXPECT_NE(ValidateWorld(w, 8).message().find("not divisible"), std::string::npos);
  w.world_size = 4;
  EXPECT_TRUE(ValidateWorld(w, 8).ok());
}

}  // namespace
}  // namespace datawall::training
