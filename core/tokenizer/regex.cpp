// PCRE2 behind the Regex interface. PCRE2_MATCH_INVALID_UTF lets any bytes through (they never
// match), so encode() accepts text that is not UTF-8 and round-trips it.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/tokenizer/detail/regex.h"

#include <pcre2.h>

#include "core/base/error.h"

namespace astro::tokenizer::detail {

namespace {

struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

// One pair of offsets is all findAll reads; one buffer per thread avoids an allocation per call.
pcre2_match_data* threadMatchData() {
  thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
      pcre2_match_data_create(1, nullptr));
  return data.get();
}

std::string pcre2Message(int errorCode) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(errorCode, buffer, sizeof(buffer));
  return reinterpret_cast<const char*>(buffer);
}

}  // namespace

struct Regex::Compiled {
  pcre2_code* code = nullptr;
  std::string where;
  ~Compiled() { pcre2_code_free(code); }
};

Regex::Regex(std::string_view pattern, bool literal, const std::string& where)
    : compiled_(std::make_unique<Compiled>()) {
  compiled_->where = where;
  std::uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  options |= literal ? PCRE2_LITERAL : PCRE2_UCP;  // PCRE2 refuses UCP with LITERAL
  int errorCode = 0;
  PCRE2_SIZE errorOffset = 0;
  compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                  options, &errorCode, &errorOffset, nullptr);
  if (!compiled_->code) {
    throw Error(where + ": cannot compile regex at offset " + std::to_string(errorOffset) + ": " +
                pcre2Message(errorCode));
  }
  // Without JIT support PCRE2 interprets the pattern; results are the same, only slower.
  pcre2_jit_compile(compiled_->code, PCRE2_JIT_COMPLETE);
}

Regex::~Regex() = default;

void Regex::findAll(std::string_view text,
                    std::vector<std::pair<std::size_t, std::size_t>>& matches) const {
  matches.clear();
  pcre2_match_data* data = threadMatchData();
  auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t offset = 0;
  while (offset < text.size()) {
    int result = pcre2_match(compiled_->code, subject, text.size(), offset, 0, data, nullptr);
    if (result == PCRE2_ERROR_JIT_STACKLIMIT) {
      // The interpreter keeps its backtracking state on the heap instead of the JIT's stack.
      result =
          pcre2_match(compiled_->code, subject, text.size(), offset, PCRE2_NO_JIT, data, nullptr);
    }
    if (result == PCRE2_ERROR_NOMATCH) break;
    if (result < 0) {
      throw Error(compiled_->where + ": regex match failed at byte " + std::to_string(offset) +
                  ": " + pcre2Message(result));
    }
    const PCRE2_SIZE* range = pcre2_get_ovector_pointer(data);
    std::size_t begin = range[0];
    std::size_t end = range[1];
    if (end > begin) {
      matches.emplace_back(begin, end);
      offset = end;
      continue;
    }
    // An empty match: step over one character (or one stray byte) and search again.
    offset = begin + 1;
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
      ++offset;
    }
  }
}

}  // namespace astro::tokenizer::detail
