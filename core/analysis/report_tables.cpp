#include "core/analysis/report_tables.h"

#include <cmath>
#include <cstdio>
#include <system_error>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::analysis {

std::string formatNumber(double value, int digits) {
  if (std::isnan(value)) return "nan";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::vector<Table> summaryTables(const AnalysisSummary& summary) {
  Table checkpoints{"checkpoints",
                    {"benchmark", "checkpoint", "problems", "samples", "graded", "accuracy",
                     "accuracy_low", "accuracy_high", "mean_backtracks", "backtracks_low",
                     "backtracks_high", "mean_tokens", "tokens_low", "tokens_high", "mean_steps",
                     "mean_reflections", "mean_restarts", "pointbiserial_r", "pointbiserial_p"},
                    {}};
  for (const CheckpointSummary& s : summary.checkpoints) {
    checkpoints.rows.push_back(
        {s.benchmark, s.checkpoint, std::to_string(s.problems), std::to_string(s.samples),
         std::to_string(s.gradedSamples), formatNumber(s.accuracy.estimate),
         formatNumber(s.accuracy.low), formatNumber(s.accuracy.high),
         formatNumber(s.meanBacktracks.estimate), formatNumber(s.meanBacktracks.low),
         formatNumber(s.meanBacktracks.high), formatNumber(s.meanTokens.estimate, 1),
         formatNumber(s.meanTokens.low, 1), formatNumber(s.meanTokens.high, 1),
         formatNumber(s.meanSteps, 2), formatNumber(s.meanReflections, 3),
         formatNumber(s.meanRestarts, 3), formatNumber(s.backtracksVsCorrect.r),
         formatNumber(s.backtracksVsCorrect.pValue)});
  }
  Table correlations{
      "correlations",
      {"benchmark", "variable", "versus", "checkpoints", "pearson_r", "pearson_low", "pearson_high",
       "pearson_p", "spearman_rho", "spearman_low", "spearman_high", "spearman_p"},
      {}};
  for (const CheckpointCorrelation& c : summary.correlations) {
    correlations.rows.push_back({c.benchmark, c.variable, "accuracy", std::to_string(c.checkpoints),
                                 formatNumber(c.pearson.r), formatNumber(c.pearson.ciLow),
                                 formatNumber(c.pearson.ciHigh), formatNumber(c.pearson.pValue),
                                 formatNumber(c.spearman.r), formatNumber(c.spearman.ciLow),
                                 formatNumber(c.spearman.ciHigh), formatNumber(c.spearman.pValue)});
  }
  return {std::move(checkpoints), std::move(correlations)};
}

Table samplesTable(const std::vector<AnalyzedSample>& samples) {
  Table table{"samples",
              {"benchmark", "checkpoint", "problem", "steps", "backtracks", "restarts",
               "reflections", "tokens", "answer", "correct"},
              {}};
  table.rows.reserve(samples.size());
  for (const AnalyzedSample& sample : samples) {
    const TraceStats& s = sample.stats;
    table.rows.push_back({sample.benchmark, sample.checkpoint, sample.problemId,
                          std::to_string(s.steps), std::to_string(s.backtracks),
                          std::to_string(s.restarts), std::to_string(s.reflections),
                          std::to_string(s.tokens), s.answer,
                          !s.correct   ? ""
                          : *s.correct ? "1"
                                       : "0"});
  }
  return table;
}

std::string formatTable(const Table& table) {
  // Width in characters (UTF-8 continuation bytes do not count).
  auto width = [](const std::string& text) {
    std::size_t characters = 0;
    for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
    return characters;
  };
  std::vector<std::size_t> widths(table.columns.size());
  for (std::size_t c = 0; c < table.columns.size(); ++c) widths[c] = width(table.columns[c]);
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], width(row[c]));
    }
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      out += cell;
      if (c + 1 < widths.size()) out += std::string(widths[c] - width(cell) + 2, ' ');
    }
    out += "\n";
  };
  line(table.columns);
  std::size_t total = 0;
  for (std::size_t w : widths) total += w + 2;
  out += std::string(total > 2 ? total - 2 : 0, '-') + "\n";
  for (const auto& row : table.rows) line(row);
  return out;
}

std::string tableToCsv(const Table& table) {
  std::string out;
  auto field = [&](const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
      out += text;
      return;
    }
    out += '"';
    for (char c : text) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += ',';
      field(cells[c]);
    }
    out += "\r\n";
  };
  line(table.columns);
  for (const auto& row : table.rows) line(row);
  return out;
}

void writeCsvTables(const std::vector<Table>& tables, const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw IoError(folder.string(), "create folder", error.value());
  for (const Table& table : tables) {
    writeFileAtomically(folder / (table.name + ".csv"), tableToCsv(table));
  }
}

}  // namespace astro::analysis
