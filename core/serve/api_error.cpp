// OpenAI-shaped error bodies (api_error.h).
#include "core/serve/api_error.h"

#include <nlohmann/json.hpp>

namespace astro::serve {

ApiError::ApiError(int status, const std::string& message, std::string param, std::string code,
                   std::string type)
    : UsageError(message),
      status_(status),
      param_(std::move(param)),
      code_(std::move(code)),
      type_(std::move(type)) {}

std::string ApiError::body() const { return errorBody(what(), type_, param_, code_); }

std::string errorBody(const std::string& message, const std::string& type, const std::string& param,
                      const std::string& code) {
  nlohmann::ordered_json error = {
      {"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
  if (!param.empty()) error["param"] = param;
  if (!code.empty()) error["code"] = code;
  return nlohmann::ordered_json{{"error", error}}.dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace);
}

}  // namespace astro::serve
