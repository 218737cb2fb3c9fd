// `astro grade --input FILE.jsonl`: grades each {"prediction", "answer"} line with the math
// verifier; one JSON verdict per line on stdout, the summary on stderr.
#include <fstream>
#include <iostream>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/math/grade_file.h"

namespace {

void runGrade(const std::string& input) {
  std::ifstream in(input, std::ios::binary);
  if (!in) throw astro::IoError(input, "open", errno);
  auto summary = astro::math::gradeJsonl(in, input, std::cout);
  std::cout.flush();
  std::cerr << summary.describe() << "\n";
}

const astro::cli::CommandRegistration kGrade{"40-grade", [](CLI::App& root) {
  auto input = std::make_shared<std::string>();
  CLI::App* grade = root.add_subcommand(
      "grade", "Grade model outputs against gold answers: each JSONL line has \"prediction\" (a "
               "full output or a bare answer) and \"answer\"; prints {\"correct\", \"extracted\", "
               "\"rule\"} per line and a summary on stderr");
  grade->add_option("--input", *input, "JSONL file to grade")->required();
  grade->callback([input] { runGrade(*input); });
}};

}  // namespace
