// Checks and copies of plugin descriptors (plugin_descriptors.h).
#include "core/plugin/plugin_descriptors.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/base/error.h"
#include "core/search/phrase_set.h"

namespace astro::plugin {

namespace {

constexpr std::size_t kMaxNameLength = 64;

bool isNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// The smallest struct_size that still holds every member version 1 requires.
constexpr std::size_t kMinDomainSize = offsetof(AstroDomainV1, accepts_step);
constexpr std::size_t kMinFormatSize = sizeof(AstroGenerationFormatV1);

template <typename Descriptor>
Descriptor copyPrefix(const Descriptor& descriptor) {
  Descriptor copy;
  std::memset(&copy, 0, sizeof copy);
  std::memcpy(&copy, &descriptor, std::min(descriptor.struct_size, sizeof copy));
  copy.struct_size = sizeof copy;
  return copy;
}

// The step delimiter and phrase set (both optional): "" or the refusal.
std::string checkTraceText(const AstroDomainV1& domain, const std::string& what) {
  const char* delimiter = domain.step_delimiter != nullptr ? domain.step_delimiter : "\n\n";
  if (*delimiter == '\0') return what + "has an empty step_delimiter";
  if (domain.phrase_set_json == nullptr) return {};
  try {
    const search::PhraseSet phrases =
        search::phraseSetFromJson(nlohmann::json::parse(domain.phrase_set_json), "phrase_set_json");
    search::validatePhrasesForDelimiter(phrases, delimiter, "phrase_set_json");
  } catch (const nlohmann::json::exception& error) {
    return what + "has a phrase_set_json that is not JSON: " + error.what();
  } catch (const Error& error) {
    return what + "has an unusable phrase set: " + error.what();
  }
  return {};
}

}  // namespace

std::string checkName(const char* name) {
  if (name == nullptr) return "is missing (NULL)";
  const std::string_view text(name, strnlen(name, kMaxNameLength + 1));
  if (text.empty()) return "is empty";
  if (text.size() > kMaxNameLength) {
    return "'" + std::string(text.substr(0, kMaxNameLength)) + "...' is longer than " +
           std::to_string(kMaxNameLength) + " characters";
  }
  if (!std::all_of(text.begin(), text.end(), isNameCharacter)) {
    return "'" + std::string(text) + "' has a character other than A-Z a-z 0-9 . _ -";
  }
  return {};
}

std::string checkDomain(const AstroDomainV1* domain) {
  if (domain == nullptr) return "add_domain: no descriptor (NULL)";
  if (domain->struct_size < kMinDomainSize) {
    return "add_domain: struct_size " + std::to_string(domain->struct_size) +
           " is smaller than AstroDomainV1's required members (" + std::to_string(kMinDomainSize) +
           " bytes)";
  }
  if (std::string problem = checkName(domain->name); !problem.empty()) {
    return "add_domain: domain name " + problem;
  }
  const std::string what = "add_domain: domain '" + std::string(domain->name) + "' ";
  if (std::string_view(domain->name) == "auto") return what + "is named after the auto rule";
  if (domain->claims == nullptr) return what + "has no claims function";
  if (domain->grade == nullptr) return what + "has no grade function";
  // Members a plugin built against an earlier layout lacks read as NULL in the copy.
  const AstroDomainV1 copy = copyDomain(*domain);
  if ((copy.reads_record == nullptr) != (copy.read_record == nullptr)) {
    return what + (copy.reads_record == nullptr ? "has read_record without reads_record"
                                                : "has reads_record without read_record");
  }
  return checkTraceText(copy, what);
}

std::string checkFormat(const AstroGenerationFormatV1* format) {
  if (format == nullptr) return "add_generation_format: no descriptor (NULL)";
  if (format->struct_size < kMinFormatSize) {
    return "add_generation_format: struct_size " + std::to_string(format->struct_size) +
           " is smaller than AstroGenerationFormatV1 (" + std::to_string(kMinFormatSize) +
           " bytes)";
  }
  if (std::string problem = checkName(format->name); !problem.empty()) {
    return "add_generation_format: format name " + problem;
  }
  const std::string what = "add_generation_format: format '" + std::string(format->name) + "' ";
  if (std::string_view(format->name) == "auto") return what + "is named after auto-detection";
  if (format->detects == nullptr) return what + "has no detects function";
  if (format->read == nullptr) return what + "has no read function";
  return {};
}

AstroDomainV1 copyDomain(const AstroDomainV1& domain) { return copyPrefix(domain); }

AstroGenerationFormatV1 copyFormat(const AstroGenerationFormatV1& format) {
  return copyPrefix(format);
}

}  // namespace astro::plugin
