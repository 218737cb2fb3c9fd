// Imported samples (core/analysis generation import) as a table: problem, checkpoint, benchmark,
// verdict, answer and the trace statistics. Rows are handed to views in batches through
// canFetchMore/fetchMore (delivered from the event loop), so a file of 100k generations opens at
// once.
#pragma once

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "core/analysis/generation_import.h"

namespace astro::gui {

class SampleTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    kLine,
    kProblem,
    kCheckpoint,
    kBenchmark,
    kVerdict,
    kAnswer,
    kSteps,
    kBacktracks,
    kReflections,
    kTokens,
    kColumnCount
  };
  static constexpr int kBatch = 256;

  explicit SampleTableModel(QObject* parent = nullptr);

  void setSamples(std::shared_ptr<const std::vector<analysis::ImportedSample>> samples);
  int totalSamples() const { return samples_ ? static_cast<int>(samples_->size()) : 0; }
  const analysis::ImportedSample& sample(int row) const { return (*samples_)[row]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const std::vector<analysis::ImportedSample>> samples_;
  int loaded_ = 0;
  bool fetchPending_ = false;
  quint64 generation_ = 0;
};

}  // namespace astro::gui
