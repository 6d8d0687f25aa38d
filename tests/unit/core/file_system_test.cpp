// RealFileSystem::read (issue 11): a FIFO never blocks, devices and directories are refused as
// not regular, and the size is capped with a message saying so.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "awsauth/environment.hpp"

namespace awsauth {
namespace {

namespace fs = std::filesystem;

class RealFiles : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("awsauth-fs-" + std::to_string(::getpid()));
  RealFileSystem files;
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
};

TEST_F(RealFiles, ReadsARegularFileAndSaysNothingForAMissingOne) {
  std::ofstream(dir / "config") << "[default]\nregion = eu-west-1\n";
  EXPECT_EQ(files.read((dir / "config").string()), "[default]\nregion = eu-west-1\n");
  EXPECT_EQ(files.read((dir / "missing").string()), std::nullopt);
  EXPECT_EQ(files.read((dir / "missing" / "deeper").string()), std::nullopt);
}

TEST_F(RealFiles, FifoWithoutAWriterIsRefusedAtOnce) {
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)files.read(fifo);
    ADD_FAILURE() << "a FIFO was read";
  } catch (const NotRegularFileError& e) {
    EXPECT_NE(std::string(e.what()).find("a FIFO"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fifo), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(RealFiles, DevicesAndDirectoriesAreNotRegularFiles) {
  EXPECT_THROW((void)files.read("/dev/zero"), NotRegularFileError);
  EXPECT_THROW((void)files.read("/dev/null"), NotRegularFileError);
  EXPECT_THROW((void)files.read(dir.string()), NotRegularFileError);
}

TEST_F(RealFiles, FileLargerThanTheCapIsAnErrorNamingTheLimit) {
  const std::string big = (dir / "big").string();
  {
    std::ofstream out(big, std::ios::binary);
    out.seekp(static_cast<std::streamoff>(FileSystem::max_file_bytes));
    out.put('x');  // sparse: max_file_bytes + 1 bytes without writing them
  }
  try {
    (void)files.read(big);
    ADD_FAILURE() << "an oversized file was read";
  } catch (const NotRegularFileError&) {
    ADD_FAILURE() << "a regular file was called not regular";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("16 MiB"), std::string::npos) << e.what();
  }
  std::filesystem::resize_file(big, FileSystem::max_file_bytes);
  EXPECT_EQ(files.read(big)->size(), FileSystem::max_file_bytes);
}

}  // namespace
}  // namespace awsauth
