// Crash-safe file replacement: write to a temp file beside the target, fsync, rename over it,
// fsync the folder. A reader sees the old file or the new one, never a torn one.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

namespace astro {

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// For large outputs: `write` receives a file descriptor open on the temp file.
void writeFileAtomically(const std::filesystem::path& path, const std::function<void(int fd)>& write);

// Writes all bytes to fd, retrying on EINTR and short writes; throws IoError naming `path`.
void writeAll(int fd, const void* data, std::size_t size, const std::filesystem::path& path);

std::string readFile(const std::filesystem::path& path);

}  // namespace astro
