// Helpers the run-store suites share: the message of an expected astro::Error, and raw file bytes
// (to corrupt a database or check that one was left untouched).
#pragma once

#include <QString>
#include <filesystem>
#include <functional>
#include <string>

namespace astro::test {

// The what() of the astro::Error `action` throws; "" when it throws none (any other exception
// type propagates and fails the test).
QString astroErrorOf(const std::function<void()>& action);

std::string fileBytes(const std::filesystem::path& file);
void writeBytes(const std::filesystem::path& file, const std::string& bytes);

}  // namespace astro::test
