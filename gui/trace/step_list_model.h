// The steps of a chain of thought (core/analysis step graph) as a list: "#index role: text",
// coloured by role, with each step's character span in the shown text for selection sync.
#pragma once

#include <QAbstractListModel>
#include <QString>
#include <vector>

#include "core/analysis/step_graph.h"

namespace astro::gui {

struct StepRow {
  analysis::TraceStep step;
  int charBegin = 0;  // UTF-16 positions in the shown QString, end exclusive
  int charEnd = 0;
  QString text;
};

class StepListModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role { kCharBeginRole = Qt::UserRole + 1, kCharEndRole, kRoleNameRole };

  explicit StepListModel(QObject* parent = nullptr);

  // `trace` is the UTF-8 text the graph's byte spans index.
  void setGraph(const analysis::StepGraph& graph, const std::string& trace);
  const std::vector<StepRow>& steps() const { return rows_; }
  // The step whose span holds character `position`, or -1.
  int stepAt(int position) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  std::vector<StepRow> rows_;
};

// UTF-16 position in QString::fromUtf8(text) of byte offset `byte`.
int charPosition(const std::string& text, std::size_t byte);

}  // namespace astro::gui
