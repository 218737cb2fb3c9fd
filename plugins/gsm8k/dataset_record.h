// GSM8K's own dataset reader (AstroDomainV1::reads_record / read_record): the records of
// openai/grade-school-math, {"question": ..., "answer": "<worked solution>\n#### N"}. Where the
// host's generic GSM8K loader keeps the solution as written, this one drops the calculator
// annotations ("<<48/2=24>>"), which no model is meant to imitate, and refuses a record whose
// gold is not a number this domain can grade, naming the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gsm8k {

// True for a JSON object with string "question" and "answer" fields, the answer holding "####",
// and no "problem" field (a MATH-style record that happens to quote "####").
bool isDatasetRecord(std::string_view line);

struct DatasetRecord {
  std::string id;        // the record's "id" when it has one, else "" (the host numbers it)
  std::string question;
  std::string answer;    // the text after the last "####", trimmed: "1,450,000"
  std::string solution;  // the text before it, annotations dropped, trimmed
};

struct RecordProblem {
  std::string field;  // "question", "answer", "id" or "" (the whole record)
  std::string why;
};

// The record in `line`, or what is wrong with it.
struct RecordResult {
  std::optional<DatasetRecord> record;
  RecordProblem problem;
};
RecordResult readDatasetRecord(std::string_view line);

// `solution` without its "<<...>>" calculator annotations ("48/2 = <<48/2=24>>24" -> "48/2 =
// 24"); an unclosed "<<" is kept as written.
std::string withoutAnnotations(std::string_view solution);

}  // namespace gsm8k
