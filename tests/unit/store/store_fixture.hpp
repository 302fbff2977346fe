// The store tests' fixture: a temp directory and a database path inside it.
#pragma once

#include "unit/temp_dir.hpp"

namespace tether::store {

class TempDirTest : public tether::testing::TempDirTest {
 protected:
  std::filesystem::path db_path() const { return dir_ / "tether.db"; }
};

}  // namespace tether::store
