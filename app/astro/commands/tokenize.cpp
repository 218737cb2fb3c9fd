// `astro tokenize --tokenizer DIR|tokenizer.json --input FILE.jsonl`: prints {"ids": [...]} for
// each {"text": ...} line, in order, without BOS (special-token strings in the text are matched).
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/tokenizer/tokenizer.h"

namespace {

struct TokenizeOptions {
  std::filesystem::path tokenizer;
  std::filesystem::path input;
};

astro::tokenizer::Tokenizer loadTokenizer(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return astro::tokenizer::Tokenizer::fromDirectory(path);
  }
  return astro::tokenizer::Tokenizer::fromFile(path);
}

void encodeLines(const astro::tokenizer::Tokenizer& tokenizer, std::istream& in,
                 const std::string& inputName) {
  std::string line;
  std::string out;
  std::int64_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
      throw astro::ParseError(inputName, lineNumber, "", "not a JSON object");
    }
    auto text = record.find("text");
    if (text == record.end() || !text->is_string()) {
      throw astro::ParseError(inputName, lineNumber, "text", "missing or not a string");
    }
    out = "{\"ids\":";
    out += nlohmann::json(tokenizer.encode(text->get_ref<const std::string&>())).dump();
    out += "}\n";
    std::cout << out;
  }
  if (in.bad()) throw astro::Error("cannot read '" + inputName + "'");
}

void runTokenize(const TokenizeOptions& options) {
  auto tokenizer = loadTokenizer(options.tokenizer);
  if (options.input == "-") {
    encodeLines(tokenizer, std::cin, "<stdin>");
  } else {
    std::ifstream in(options.input, std::ios::binary);
    if (!in) throw astro::IoError(options.input.string(), "open", errno);
    encodeLines(tokenizer, in, options.input.string());
  }
  std::cout.flush();
}

const astro::cli::CommandRegistration kTokenize{
    "40-tokenize", [](CLI::App& root) {
      auto options = std::make_shared<TokenizeOptions>();
      CLI::App* command = root.add_subcommand(
          "tokenize",
          "Encode the \"text\" of each JSONL line with a Hugging Face tokenizer.json and "
          "print {\"ids\": [...]} per line (no BOS added)");
      command
          ->add_option("--tokenizer", options->tokenizer,
                       "Folder with tokenizer.json (+ tokenizer_config.json), or a tokenizer.json")
          ->required();
      command
          ->add_option("--input", options->input, "JSONL file with a \"text\" field per line, or -")
          ->required();
      command->callback([options] { runTokenize(*options); });
    }};

}  // namespace
