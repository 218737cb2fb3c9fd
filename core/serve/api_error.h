// The errors `astro serve` answers with, in the OpenAI shape that client libraries read:
// {"error": {"message", "type", "param", "code"}} with an HTTP status. Torch-free.
#pragma once

#include <string>

#include "core/base/error.h"

namespace astro::serve {

// A request the server refuses: the HTTP status, and the field at fault ("max_tokens",
// "messages[1].role") where there is one.
class ApiError : public UsageError {
 public:
  ApiError(int status, const std::string& message, std::string param = {}, std::string code = {},
           std::string type = "invalid_request_error");
  int status() const { return status_; }
  const std::string& param() const { return param_; }
  const std::string& code() const { return code_; }
  const std::string& type() const { return type_; }
  // {"error":{"message":..., "type":..., "param":... or null, "code":... or null}}
  std::string body() const;

 private:
  int status_;
  std::string param_;
  std::string code_;
  std::string type_;
};

// The same shape for errors without an ApiError at hand (404, 413, 500).
std::string errorBody(const std::string& message, const std::string& type,
                      const std::string& param = {}, const std::string& code = {});

}  // namespace astro::serve
