// The analysis as tables: what `astro analyze` prints and writes as CSV (one file per table),
// and what the GUI shows. Cells are text, already formatted.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/analysis/checkpoint_summary.h"

namespace astro::analysis {

struct Table {
  std::string name;  // also the CSV file stem
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// "checkpoints": one row per checkpoint and benchmark; "correlations": one row per benchmark and
// variable (Pearson and Spearman with Fisher 95% intervals and p-values).
std::vector<Table> summaryTables(const AnalysisSummary& summary);
// "samples": one row per sample.
Table samplesTable(const std::vector<AnalyzedSample>& samples);

// Columns padded to their widest cell, one header line and a rule.
std::string formatTable(const Table& table);
// RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled; lines end in CRLF.
std::string tableToCsv(const Table& table);
// Writes <folder>/<name>.csv for each table (creating the folder), atomically.
void writeCsvTables(const std::vector<Table>& tables, const std::filesystem::path& folder);

// Fixed-point with `digits` decimals; "nan" for NaN.
std::string formatNumber(double value, int digits = 4);

}  // namespace astro::analysis
