#include "tests/store/store_test_support.h"

#include <fstream>
#include <iterator>

#include "core/base/error.h"

namespace astro::test {

QString astroErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const astro::Error& error) {
    return QString::fromStdString(error.what());
  }
  return {};
}

std::string fileBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace astro::test
